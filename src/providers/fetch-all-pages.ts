import type { ProviderError, SectionResult } from '../domain/sections.js';

/** One page of a paged list as the adapter read it. */
export interface Page<T> {
  total: number;
  items: T[];
}

/** A page, or why there is none; a provider's explicit "no data" is `{ ok: false, error: { kind: 'no_data' } }`. */
export type PageResult<T> = { ok: true; page: Page<T> } | { ok: false; error: ProviderError };

const NOTHING_ON_THIS_PAGE: Page<never> = Object.freeze({ total: 0, items: [] });

export interface FetchAllPagesOptions<T> {
  /** Entries asked for per page; used to refuse, before paying for them, lists that need too many pages. */
  pageSize: number;
  /** Most pages read for one list. A list that needs more fails as `invalid_response`. */
  maxPages: number;
  /** The entry's stable id, to catch an entry served twice while the list shifted under us. */
  keyOf: (item: T) => string | null;
  /** Names the list in messages, e.g. "mock abnormal-operations 9144…". */
  what: string;
  /**
   * `exact` (default): the page's `total` is the list's size and every check above applies.
   * `unreliable`: for an endpoint known to send a wrong `total` (天眼查 `mr/punishmentInfo/3.0`
   * answers `total: 1` with 20 items), the total is ignored and paging stops at the first page
   * shorter than `pageSize`; a page that repeats the one before it still fails the list. Costs one
   * more call when the list fills its last page exactly.
   */
  total?: 'exact' | 'unreliable';
}

/**
 * Reads every page of a list, one after the other (each page may cost money and counts against the
 * provider's rate limit, so no fan-out). A section is all or nothing: any failed page fails the
 * whole list, and so does an answer that does not add up (the total changes between pages, a page
 * comes back empty before the total is reached, more entries than the total, an id repeated), since
 * a list that changed while we read it is not a list we can diff.
 *
 * "No data" on the first page is the section's answer, passed on as it came (the domain reads it as
 * an empty list). On a later page it says only that this page is empty (天眼查 answers 300000 past the
 * end), so it is read as `{ total: 0, items: [] }` and judged like any other page.
 */
export async function fetchAllPages<T>(
  fetchPage: (pageNum: number) => Promise<PageResult<T>>,
  options: FetchAllPagesOptions<T>,
): Promise<SectionResult<T[]>> {
  const { pageSize, maxPages, keyOf, what } = options;
  if (options.total === 'unreliable') return fetchUntilShortPage(fetchPage, options);
  const items: T[] = [];
  const seen = new Set<string>();
  let total: number | undefined;
  for (let pageNum = 1; pageNum <= maxPages; pageNum++) {
    const result = pageOf(await fetchPage(pageNum), pageNum);
    if (!result.ok) return result;
    const { page } = result;
    if (total === undefined) {
      total = page.total;
      if (Math.ceil(total / pageSize) > maxPages) {
        return invalid(`${what}: ${total} entries need more than ${maxPages} pages of ${pageSize}`);
      }
    } else if (page.total !== total) {
      return invalid(`${what}: total changed from ${total} to ${page.total} while paging`);
    }
    const repeated = appendUnique(items, seen, page.items, keyOf);
    if (repeated !== undefined) return invalid(`${what}: entry ${repeated} appeared twice while paging`);
    if (items.length > total) return invalid(`${what}: ${items.length} entries read, more than the total ${total}`);
    if (items.length === total) return { ok: true, value: items };
    if (page.items.length === 0) return invalid(`${what}: page ${pageNum} empty after ${items.length} of ${total}`);
  }
  return invalid(`${what}: still short of the total after ${maxPages} pages`);
}

/** Paging for an endpoint whose `total` cannot be trusted: read until a page comes back short. */
async function fetchUntilShortPage<T>(
  fetchPage: (pageNum: number) => Promise<PageResult<T>>,
  options: FetchAllPagesOptions<T>,
): Promise<SectionResult<T[]>> {
  const { pageSize, maxPages, keyOf, what } = options;
  const items: T[] = [];
  const seen = new Set<string>();
  let previousPage: string | undefined;
  for (let pageNum = 1; pageNum <= maxPages; pageNum++) {
    const result = pageOf(await fetchPage(pageNum), pageNum);
    if (!result.ok) return result;
    const { page } = result;
    // A provider that ignores pageNum serves page 1 for ever; without a total that is the only sign.
    const text = JSON.stringify(page.items);
    if (page.items.length > 0 && text === previousPage) return invalid(`${what}: page ${pageNum} repeats page ${pageNum - 1}`);
    previousPage = text;
    const repeated = appendUnique(items, seen, page.items, keyOf);
    if (repeated !== undefined) return invalid(`${what}: entry ${repeated} appeared twice while paging`);
    if (page.items.length < pageSize) return { ok: true, value: items };
  }
  return invalid(`${what}: still full pages after ${maxPages} pages`);
}

/** The page read, with a later page's "no data" read as an empty page (see fetchAllPages). */
function pageOf<T>(result: PageResult<T>, pageNum: number): PageResult<T> {
  return !result.ok && result.error.kind === 'no_data' && pageNum > 1 ? { ok: true, page: NOTHING_ON_THIS_PAGE } : result;
}

/** Appends a page's items; returns the key of an item already seen (a list that moved under us). */
function appendUnique<T>(items: T[], seen: Set<string>, page: readonly T[], keyOf: (item: T) => string | null): string | undefined {
  for (const item of page) {
    const key = keyOf(item);
    if (key !== null) {
      if (seen.has(key)) return key;
      seen.add(key);
    }
    items.push(item);
  }
  return undefined;
}

function invalid(message: string): SectionResult<never> {
  return { ok: false, error: { kind: 'invalid_response', message } };
}
