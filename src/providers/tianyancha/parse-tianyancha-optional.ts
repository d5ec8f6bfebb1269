/** The optional sections of 天眼查: 行政处罚 (`mr/punishmentInfo/3.0`) and 失信被执行人 (`jr/dishonest/2.0`). */
import type { z } from 'zod';
import { penaltyReason, type RawListEntry } from '../../domain/sections.js';
import type { PageResult } from '../fetch-all-pages.js';
import { firstIssue, type TycAnswer } from './parse-tianyancha-answer.js';
import {
  tycDishonestPageSchema,
  tycPenaltyPageSchema,
  type TycDishonestItem,
  type TycPenaltyItem,
} from './tianyancha-schema.js';

function parsePage<S extends typeof tycPenaltyPageSchema | typeof tycDishonestPageSchema>(
  answer: TycAnswer,
  schema: S,
  what: string,
): PageResult<NonNullable<z.output<S>['items']>[number]> {
  if (answer.kind === 'error') return { ok: false, error: answer.error };
  if (answer.kind === 'no_data') return { ok: true, page: { total: 0, items: [] } };
  const parsed = schema.safeParse(answer.result);
  if (!parsed.success) {
    return { ok: false, error: { kind: 'invalid_response', message: `${what}: unexpected list page, ${firstIssue(parsed.error)}` } };
  }
  const items = parsed.data.items ?? [];
  return { ok: true, page: { total: parsed.data.total ?? items.length, items } };
}

/**
 * One page of `mr/punishmentInfo/3.0`; 300000 is an empty list. Its `total` is not the list's size
 * (a published body says 1 beside 20 items), so the adapter pages it in `unreliable` mode.
 */
export function parseTycPenaltyPage(answer: TycAnswer, what: string): PageResult<TycPenaltyItem> {
  return parsePage(answer, tycPenaltyPageSchema, what);
}

/** One page of `jr/dishonest/2.0`; 300000 is an empty list. */
export function parseTycDishonestPage(answer: TycAnswer, what: string): PageResult<TycDishonestItem> {
  return parsePage(answer, tycDishonestPageSchema, what);
}

/**
 * A penalty as a list entry keyed by its decision number (决定文书号): the number is printed on the
 * decision itself, so it stays the same across reads and across providers. The v2 format has no
 * `reason`; its `type` names the violation instead.
 */
export function toRawPenalty(item: TycPenaltyItem): RawListEntry {
  return {
    recordId: item.punishNumber,
    listedOn: given(item.decisionDate, item.publishDate),
    reason: penaltyReason(given(given(item.reason, item.type), item.description), item.content),
    authority: item.departmentName,
    removedOn: null,
    removalReason: null,
  };
}

/**
 * A dishonest-debtor record keyed by its case number (案号), which the court assigned. The listing
 * date is the publication date (发布时间), else the filing date (立案时间). The list shows current
 * records only, so a removal is seen by the entry vanishing.
 */
export function toRawDishonest(item: TycDishonestItem): RawListEntry {
  return {
    recordId: item.casecode,
    listedOn: given(item.publishdate, item.regdate),
    reason: given(item.disrupttypename, item.disruptTypeName),
    authority: item.courtname,
    removedOn: null,
    removalReason: null,
  };
}

/** `a` unless it is absent or blank ("" is how 天眼查 writes "nothing" in these lists), else `b`. */
function given<T extends string | number | null>(a: T, b: T): T {
  return a === null || (typeof a === 'string' && a.trim() === '') ? b : a;
}
