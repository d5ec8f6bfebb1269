/**
 * The byte budget of one whole check (DESIGN "A section is all or nothing"; issue 9 point 16): the
 * per-page limit holds for each answer, and every page of every section of one check also counts
 * against one budget (default 3 × 2 MiB). The section that crosses it fails as a whole; the others,
 * and other checks, are unaffected. The real mock provider over HTTP, the real MockProvider adapter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toFetchedSections } from '../../../src/domain/fetched-sections.js';
import type { RawSections } from '../../../src/domain/sections.js';
import { sha256Hex } from '../../../src/wiring/check-deps.js';
import { createHttpClient, type HttpClient } from '../../../src/providers/http-client.js';
import { MockProvider } from '../../../src/providers/mock/mock-provider.js';
import { startMockProviderServer, type MockProviderServer } from '../../../src/providers/mock/server.js';
import type { MockListEntry } from '../../../src/providers/mock/state.js';
import { testCompany, testState } from '../../helpers/mock-provider-fixtures.js';
import { validUscc } from '../../helpers/valid-uscc.js';

const PAGE_ENTRIES = 20;
/** 25,000 CJK characters: 75 KB of UTF-8, so a full page of 20 is about 1.5 MB, under the 2 MiB page limit. */
const LONG_REASON = '未按照规定期限公示年度报告'.repeat(25_000 / 13);

function paddedEntries(count: number, prefix: string): MockListEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-${i + 1}`,
    listedOn: '2024-05-15',
    reason: `${LONG_REASON}${i}`,
    authority: '北京市海淀区市场监督管理局',
    removedOn: null,
    removalReason: null,
  }));
}

const OVER = validUscc(301); // one list of 5 padded pages (~7.5 MB): over the budget on its own
const UNDER = validUscc(302); // one list of 3 padded pages (~4.5 MB): under it
const BOTH = validUscc(303); // two lists of 3 padded pages each: together over it

let server: MockProviderServer;
let http: HttpClient;
let provider: MockProvider;

beforeAll(async () => {
  server = await startMockProviderServer({
    state: testState(
      testCompany(301, { abnormalOperations: paddedEntries(5 * PAGE_ENTRIES, 'AO') }),
      testCompany(302, { abnormalOperations: paddedEntries(3 * PAGE_ENTRIES, 'AO') }),
      testCompany(303, { abnormalOperations: paddedEntries(3 * PAGE_ENTRIES, 'AO'), seriousViolations: paddedEntries(3 * PAGE_ENTRIES, 'SV') }),
    ),
  });
  http = createHttpClient(); // the defaults: 2 MiB per page, 6 MiB per check
  provider = new MockProvider({ baseUrl: server.url, http, pageSize: PAGE_ENTRIES });
});

afterAll(async () => {
  await provider.close();
  await http.close();
  await server.close();
});

const fetch = (uscc: string): Promise<RawSections> => provider.fetchSections(uscc, AbortSignal.timeout(30_000));

describe('one check reads a bounded number of bytes', () => {
  it('a list whose pages each fit the page limit but together exceed the check\'s budget fails as a whole; the other sections succeed', async () => {
    const sections = await fetch(OVER);
    expect(sections.abnormalOperations).toEqual({
      ok: false,
      error: { kind: 'invalid_response', message: expect.stringMatching(/abnormal-operations: the answers of this check exceed the limit of 6291456 bytes in all$/) as string },
    });
    expect(sections.registration.ok).toBe(true);
    expect(toFetchedSections(sections, sha256Hex, { uscc: OVER }).seriousViolations).toEqual({ ok: true, value: [] });
  }, 60_000);

  it('the budget is per check: checks under it succeed, one after another and at the same time, on one HTTP client', async () => {
    for (const sections of [await fetch(UNDER), ...(await Promise.all([fetch(UNDER), fetch(UNDER), fetch(UNDER)]))]) {
      expect(sections.abnormalOperations.ok && sections.abnormalOperations.value).toHaveLength(3 * PAGE_ENTRIES);
    }
  }, 60_000);

  it('the sections of one check share it: of two lists that fit alone but not together, those still reading when it runs out fail', async () => {
    const sections = await fetch(BOTH);
    const failed = [sections.abnormalOperations, sections.seriousViolations].filter((list) => !list.ok);
    expect(failed.length).toBeGreaterThanOrEqual(1);
    for (const list of failed) {
      expect(list).toMatchObject({ ok: false, error: { kind: 'invalid_response', message: expect.stringMatching(/exceed the limit of 6291456 bytes in all/) as string } });
    }
    expect(sections.registration.ok).toBe(true);
  }, 60_000);

  it('maxCheckBytes sets the budget; a lone request outside a check has only its page limit', async () => {
    const small = createHttpClient({ maxCheckBytes: 100_000 });
    try {
      const tight = await new MockProvider({ baseUrl: server.url, http: small, pageSize: PAGE_ENTRIES }).fetchSections(UNDER, AbortSignal.timeout(30_000));
      expect(tight.abnormalOperations).toMatchObject({ ok: false, error: { message: expect.stringMatching(/abnormal-operations: .*limit of 100000 bytes in all/) as string } });
      const lone = await small.getJson(`${server.url}/v1/companies/${UNDER}/abnormal-operations?page=1&pageSize=20`, { signal: AbortSignal.timeout(30_000) });
      expect(lone.ok).toBe(true);
    } finally {
      await small.close();
    }
  }, 60_000);
});
