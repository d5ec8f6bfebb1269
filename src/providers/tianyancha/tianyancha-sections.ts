/**
 * 天眼查's sections, one row each (docs/providers.md, the reference's §1): the documented path, the
 * query, and how the answer's `result` maps to the port's raw section. Lists are paged by `pageNum`
 * and `pageSize`; every call is billed.
 */
import type { z } from 'zod';
import { penaltyReason, type RawListEntry, type RawRegistration, type SectionResult } from '../../domain/sections.js';
import { readWithSchema } from '../read-with-schema.js';
import type { EnvelopeData, ListSpec, SectionTable } from '../section-table.js';
import {
  tycBaseInfoSchema,
  tycDishonestPageSchema,
  tycListPageSchema,
  tycPenaltyPageSchema,
  type TycDishonestItem,
  type TycListItem,
  type TycPenaltyItem,
} from './tianyancha-schema.js';

const byKeyword = (uscc: string): Record<string, string> => ({ keyword: uscc });
const paged = (uscc: string, page: number, pageSize: number): Record<string, string> => ({
  keyword: uscc,
  pageNum: String(page),
  pageSize: String(pageSize),
});

export const TIANYANCHA_SECTIONS: SectionTable = {
  // 300000 is the provider's explicit "no such company".
  registration: { path: '/services/open/ic/baseinfo/normal', query: byKeyword, noData: 'not_found', read: readBaseInfo },
  abnormalOperations: { path: '/services/open/mr/abnormal/2.0', query: paged, readPage: pageReader(tycListPageSchema, toRawEntry, wireId) },
  seriousViolations: { path: '/services/open/mr/illegalinfo/2.0', query: paged, readPage: pageReader(tycListPageSchema, toRawEntry, wireId) },
  // Its `total` is not the list's size (a published body says 1 beside 20 items), so it is paged until
  // a short page. No repeat check by decision number: two sources (信用中国, 市场监管总局) may publish one decision.
  administrativePenalties: {
    path: '/services/open/mr/punishmentInfo/3.0',
    query: paged,
    total: 'unreliable',
    readPage: pageReader(tycPenaltyPageSchema, toRawPenalty),
  },
  // The items' `id` is the company's, the same on every record: useless for catching repeats.
  dishonestDebtors: { path: '/services/open/jr/dishonest/2.0', query: paged, readPage: pageReader(tycDishonestPageSchema, toRawDishonest) },
};

/** `ic/baseinfo/normal`: companies carry `estiblishTime` (the provider's spelling), social organisations `registrationDate`. */
function readBaseInfo(data: EnvelopeData, what: string): SectionResult<RawRegistration> {
  const read = readWithSchema(tycBaseInfoSchema, data.result, what, 'base info');
  if (!read.ok) return read;
  const info = read.value;
  return {
    ok: true,
    value: {
      creditCode: info.creditCode,
      name: info.name,
      statusText: info.regStatus,
      legalRepresentative: info.legalPersonName,
      registeredCapitalText: info.regCapital,
      address: info.regLocation,
      businessScope: info.businessScope,
      establishedOn: info.estiblishTime ?? info.registrationDate,
    },
  };
}

/** A list `result`: `total` (the legacy v3 name is `count`) and `items`; with neither total, the page is the whole list. */
interface TycPage<Item> {
  total?: number | undefined;
  count?: number | undefined;
  items?: Item[] | null | undefined;
}

function pageReader<Item>(
  schema: z.ZodType<TycPage<Item>>,
  toEntry: (item: Item) => RawListEntry,
  keyOf: (item: Item) => string | null = () => null,
): ListSpec['readPage'] {
  return (data, what) => {
    const read = readWithSchema(schema, data.result, what, 'list page');
    if (!read.ok) return read;
    const items = read.value.items ?? [];
    const entries = items.map((item) => ({ entry: toEntry(item), pagingKey: keyOf(item) }));
    return { ok: true, page: { total: read.value.total ?? read.value.count ?? items.length, items: entries } };
  };
}

/** The `id` of `mr/*` entries, present only in some endpoint versions: it catches repeats, never keys an entry. */
function wireId(item: TycListItem): string | null {
  return item.id === null || item.id === undefined ? null : String(item.id);
}

/** A `mr/abnormal` or `mr/illegalinfo` entry: dates as sent, no record id (see the schema's `id`). */
export function toRawEntry(item: TycListItem): RawListEntry {
  return {
    recordId: null,
    listedOn: item.putDate,
    reason: item.putReason,
    authority: item.putDepartment,
    removedOn: item.removeDate,
    removalReason: item.removeReason,
  };
}

/**
 * A penalty keyed by its decision number (决定文书号): the number is printed on the decision itself,
 * so it stays the same across reads and across providers. The v2 format has no `reason`; its `type`
 * names the violation instead.
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
