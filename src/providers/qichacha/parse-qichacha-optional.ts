/** The optional sections of 企查查: 行政处罚核查 (`AdminPenaltyCheck`) and 失信核查 (`ShixinCheck`). */
import { penaltyReason, type RawListEntry } from '../../domain/sections.js';
import type { PageResult } from '../fetch-all-pages.js';
import { parseQccPage, type QccAnswer } from './parse-qichacha-answer.js';
import {
  qccCheckResultSchemaOf,
  qccDishonestItemSchema,
  qccPenaltyItemSchema,
  type QccDishonestItem,
  type QccPenaltyItem,
} from './qichacha-schema.js';

const penaltyCheckSchema = qccCheckResultSchemaOf(qccPenaltyItemSchema);
const dishonestCheckSchema = qccCheckResultSchemaOf(qccDishonestItemSchema);

/** One page of `AdminPenaltyCheck/GetList`; 201 and `VerifyResult: 0` are an empty list. */
export function parseQccPenaltyPage(answer: QccAnswer, what: string): PageResult<QccPenaltyItem> {
  return parseQccPage(answer, qccPenaltyItemSchema, penaltyCheckSchema, what);
}

/** One page of `ShixinCheck/GetList`; 201 and `VerifyResult: 0` are an empty list. */
export function parseQccDishonestPage(answer: QccAnswer, what: string): PageResult<QccDishonestItem> {
  return parseQccPage(answer, qccDishonestItemSchema, dishonestCheckSchema, what);
}

/**
 * A penalty keyed by its decision number (`DocNo`, printed on the decision, the same at every
 * provider), not by the provider's `Id`; without a number the domain keys it by date, text and office.
 */
export function toRawPenalty(item: QccPenaltyItem): RawListEntry {
  return {
    recordId: item.DocNo,
    listedOn: item.PunishDate,
    reason: penaltyReason(item.PunishReason, item.PunishResult),
    authority: item.PunishOffice,
    removedOn: null,
    removalReason: null,
  };
}

/**
 * A dishonest-debtor record keyed by its case number (`Anno`, 案号), listed on its publication date
 * (`Publicdate`), else its filing date (`Liandate`). Current records only: a removal is a vanishing.
 */
export function toRawDishonest(item: QccDishonestItem): RawListEntry {
  const published = item.Publicdate;
  const blank = published === null || (typeof published === 'string' && published.trim() === '');
  return {
    recordId: item.Anno,
    listedOn: blank ? item.Liandate : published,
    reason: item.ActionRemark,
    authority: item.Executegov,
    removedOn: null,
    removalReason: null,
  };
}
