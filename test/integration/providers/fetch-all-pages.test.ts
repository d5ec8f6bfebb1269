import { describe, expect, it } from 'vitest';
import { fetchAllPages, type Page, type PageResult } from '../../../src/providers/fetch-all-pages.js';

/** Serves the given pages in order (page n → pages[n - 1]); records which pages were asked for. */
function servePages(pages: Page<string>[]) {
  const asked: number[] = [];
  const fetchPage = (pageNum: number): Promise<PageResult<string>> => {
    asked.push(pageNum);
    return Promise.resolve({ ok: true, page: pages[pageNum - 1] ?? { total: pages[0]?.total ?? 0, items: [] } });
  };
  return { asked, fetchPage };
}

const OPTIONS = { pageSize: 2, maxPages: 5, keyOf: (item: string) => item, what: 'test list' };

describe('fetchAllPages', () => {
  it.each([
    { name: 'empty list', pages: [{ total: 0, items: [] }], value: [], asked: [1] },
    { name: 'one page', pages: [{ total: 2, items: ['a', 'b'] }], value: ['a', 'b'], asked: [1] },
    {
      name: 'three pages',
      pages: [{ total: 5, items: ['a', 'b'] }, { total: 5, items: ['c', 'd'] }, { total: 5, items: ['e'] }],
      value: ['a', 'b', 'c', 'd', 'e'],
      asked: [1, 2, 3],
    },
  ])('reads $name', async ({ pages, value, asked }) => {
    const server = servePages(pages);
    expect(await fetchAllPages(server.fetchPage, OPTIONS)).toEqual({ ok: true, value });
    expect(server.asked).toEqual(asked);
  });

  it.each([
    { name: 'a total that changes', pages: [{ total: 4, items: ['a', 'b'] }, { total: 5, items: ['c', 'd'] }], message: 'total changed' },
    { name: 'an empty page before the total', pages: [{ total: 4, items: ['a', 'b'] }, { total: 4, items: [] }], message: 'page 2 empty' },
    { name: 'more entries than the total', pages: [{ total: 1, items: ['a', 'b'] }], message: 'more than the total' },
    { name: 'an entry served twice', pages: [{ total: 4, items: ['a', 'b'] }, { total: 4, items: ['b', 'c'] }], message: 'appeared twice' },
    { name: 'a list longer than maxPages allows', pages: [{ total: 11, items: ['a', 'b'] }], message: 'more than 5 pages' },
    {
      name: 'a server that never reaches its total',
      pages: Array.from({ length: 9 }, (_, i) => ({ total: 10, items: [`x${i}`] })),
      message: 'after 5 pages',
    },
  ])('fails $name as invalid_response', async ({ pages, message }) => {
    const server = servePages(pages);
    const result = await fetchAllPages(server.fetchPage, OPTIONS);
    expect(result).toMatchObject({ ok: false, error: { kind: 'invalid_response', message: expect.stringContaining(message) } });
    expect(server.asked.length).toBeLessThanOrEqual(OPTIONS.maxPages);
  });

  it('passes an explicit "no data" on the first page on as the answer (the domain reads it as an empty list)', async () => {
    const noData = { ok: false as const, error: { kind: 'no_data' as const, message: 'no data' } };
    expect(await fetchAllPages(() => Promise.resolve(noData), OPTIONS)).toEqual(noData);
  });

  it.each([
    { name: 'an exact total', total: 'exact' as const, result: { ok: false, error: { kind: 'invalid_response', message: expect.stringContaining('total changed from 4 to 0') } } },
    { name: 'an unreliable total', total: 'unreliable' as const, result: { ok: true, value: ['a', 'b'] } },
  ])('reads "no data" on a later page as an empty page, with $name', async ({ total, result }) => {
    const fetchPage = (pageNum: number): Promise<PageResult<string>> =>
      Promise.resolve(pageNum === 1 ? { ok: true, page: { total: 4, items: ['a', 'b'] } } : { ok: false, error: { kind: 'no_data', message: 'past the end' } });
    expect(await fetchAllPages(fetchPage, { ...OPTIONS, total })).toMatchObject(result);
  });

  it('fails the whole list when one page fails', async () => {
    const fetchPage = (pageNum: number): Promise<PageResult<string>> =>
      Promise.resolve(
        pageNum === 1
          ? { ok: true, page: { total: 4, items: ['a', 'b'] } }
          : { ok: false, error: { kind: 'transient', message: 'HTTP 503' } },
      );
    expect(await fetchAllPages(fetchPage, OPTIONS)).toEqual({ ok: false, error: { kind: 'transient', message: 'HTTP 503' } });
  });
});
