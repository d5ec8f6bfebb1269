/**
 * 企查查's sections, one row each (docs/providers.md, the reference's §2): the documented path, the
 * query, and how the answer's `Result` maps to the port's raw section. The `*Check/GetList` lists
 * answer `{VerifyResult, Data}` and are paged by `pageIndex`/`pageSize` with `Paging.TotalRecords`
 * when they page at all (documented as unpaged; we still ask for pages in case they are).
 */
import type { z } from 'zod';
import { penaltyReason, type ProviderError, type RawListEntry, type RawRegistration, type SectionResult } from '../../domain/sections.js';
import { readWithSchema } from '../read-with-schema.js';
import type { EnvelopeData, ListSpec, SectionTable } from '../section-table.js';
import {
  qccBaseInfoSchema,
  qccCheckResultSchemaOf,
  qccDishonestItemSchema,
  qccListItemSchema,
  qccPenaltyItemSchema,
  type QccDishonestItem,
  type QccListItem,
  type QccPenaltyItem,
} from './qichacha-schema.js';

const paged = (uscc: string, page: number, pageSize: number): Record<string, string> => ({
  searchKey: uscc,
  pageIndex: String(page),
  pageSize: String(pageSize),
});

export const QICHACHA_SECTIONS: SectionTable = {
  // 201 is the provider's explicit "no such company".
  registration: { path: '/ECIV4/GetBasicDetailsByName', query: (uscc) => ({ keyword: uscc }), noData: 'not_found', read: readBaseInfo },
  abnormalOperations: { path: '/ExceptionCheck/GetList', query: paged, readPage: checkListReader(qccListItemSchema, toRawEntry) },
  seriousViolations: { path: '/SeriousIllegalCheck/GetList', query: paged, readPage: checkListReader(qccListItemSchema, toRawEntry) },
  administrativePenalties: { path: '/AdminPenaltyCheck/GetList', query: paged, readPage: checkListReader(qccPenaltyItemSchema, toRawPenalty) },
  dishonestDebtors: { path: '/ShixinCheck/GetList', query: paged, readPage: checkListReader(qccDishonestItemSchema, toRawDishonest) },
};

/**
 * `ECIV4/GetBasicDetailsByName` answers the base info itself; a verify endpoint wraps it as
 * `{VerifyResult, Data}`, where `VerifyResult: 0` is the explicit "no such company".
 */
function readBaseInfo(data: EnvelopeData, what: string): SectionResult<RawRegistration> {
  let info: unknown = data.result;
  if (isObject(info) && 'VerifyResult' in info) {
    if (Number(info.VerifyResult) === 0) return { ok: false, error: { kind: 'not_found', message: `${what}: no such company` } };
    info = info.Data;
  }
  const read = readWithSchema(qccBaseInfoSchema, info, what, 'base info');
  if (!read.ok) return read;
  const base = read.value;
  return {
    ok: true,
    value: {
      creditCode: base.CreditCode,
      name: base.Name,
      statusText: base.Status,
      legalRepresentative: base.OperName,
      registeredCapitalText: base.RegistCapi,
      address: base.Address,
      businessScope: base.Scope,
      establishedOn: base.StartDate,
    },
  };
}

/**
 * One page of a `*Check/GetList` answer: `{VerifyResult, Data}` (`VerifyResult: 0`, with Data null,
 * is the published "no data" form), or the legacy bare array. Without `Paging` the page is the whole list.
 */
function checkListReader<S extends z.ZodType>(itemSchema: S, toEntry: (item: z.output<S>) => RawListEntry): ListSpec['readPage'] {
  const checkSchema = qccCheckResultSchemaOf(itemSchema);
  return (data, what) => {
    const items = readItems(data.result, itemSchema, checkSchema, what);
    if (!items.ok) return items;
    const entries = items.value.map((item) => ({ entry: toEntry(item), pagingKey: null }));
    return { ok: true, page: { total: data.total ?? entries.length, items: entries } };
  };
}

function readItems<S extends z.ZodType>(
  result: unknown,
  itemSchema: S,
  checkSchema: ReturnType<typeof qccCheckResultSchemaOf<S>>,
  what: string,
): { ok: true; value: Array<z.output<S>> } | { ok: false; error: ProviderError } {
  if (Array.isArray(result)) return readWithSchema(itemSchema.array(), result, what, 'list');
  const read = readWithSchema(checkSchema, result, what, 'list');
  if (!read.ok) return read;
  const { VerifyResult: verify, Data: data } = read.value;
  if (verify === 0) return { ok: false, error: { kind: 'no_data', message: `${what}: no data (VerifyResult 0)` } };
  // "Data exists" with no data is a contradiction, not an empty list.
  if (data === null || data === undefined) {
    return { ok: false, error: { kind: 'invalid_response', message: `${what}: VerifyResult ${String(verify)} without Data` } };
  }
  return { ok: true, value: data };
}

/** An `ExceptionCheck` or `SeriousIllegalCheck` entry; both spellings of the removal reason are read. */
export function toRawEntry(item: QccListItem): RawListEntry {
  return {
    recordId: null,
    listedOn: item.AddDate,
    reason: item.AddReason,
    authority: firstGiven(item.DecisionOffice, item.AddOffice),
    removedOn: item.RemoveDate,
    removalReason: firstGiven(item.RomoveReason, item.RemoveReason),
  };
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

function firstGiven(a: string | null, b: string | null): string | null {
  if (a !== null && a.trim() !== '') return a;
  return b ?? a;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
