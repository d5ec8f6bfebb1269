import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toFetchedSections } from '../../../src/domain/fetched-sections.js';
import type { RawSections } from '../../../src/domain/sections.js';
import { sha256Hex } from '../../../src/wiring/check-deps.js';
import { createHttpClient, type HttpClient } from '../../../src/providers/http-client.js';
import { MockProvider } from '../../../src/providers/mock/mock-provider.js';
import { startMockProviderServer, type MockProviderServer } from '../../../src/providers/mock/server.js';
import { testCompany, testEntries, testState } from '../../helpers/mock-provider-fixtures.js';
import { validUscc } from '../../helpers/valid-uscc.js';
import { mockProviderControl, type MockProviderControl } from '../../helpers/mock-provider-control.js';

const LISTED = testCompany(1, {
  name: '示例贸易有限公司',
  regCapital: '500万美元',
  establishedOn: 1433088000000, // 2015-06-01 00:00 Beijing
  abnormalOperations: [
    {
      id: 'AO-1',
      listedOn: '2025-03-10',
      reason: '未依照规定公示年度报告',
      authority: '北京市市场监督管理局',
      removedOn: '2025-06-01',
      removalReason: '补报年度报告',
    },
  ],
  seriousViolations: [
    { id: 'SV-1', listedOn: 1735660800000, reason: '提交虚假材料', authority: '北京市市场监督管理局', removedOn: null, removalReason: null },
  ],
});
const CLEAN = testCompany(2);
const MANY = testCompany(3, { abnormalOperations: testEntries(45) });
const UNKNOWN = validUscc(999);

let server: MockProviderServer;
let control: MockProviderControl;
let http: HttpClient;
let provider: MockProvider;

beforeAll(async () => {
  server = await startMockProviderServer({ port: 0, state: testState(LISTED, CLEAN, MANY) });
  control = mockProviderControl(server);
  http = createHttpClient();
  provider = new MockProvider({ baseUrl: server.url, http });
});
afterEach(async () => {
  await control.reset();
});
afterAll(async () => {
  await provider.close();
  await http.close();
  await server.close();
});

const fetchSections = (uscc: string) => provider.fetchSections(uscc, new AbortController().signal);
/** The answer as the core reads it: the domain turns "no data" into an empty list. */
const read = (sections: RawSections, uscc: string) => toFetchedSections(sections, sha256Hex, { uscc });

describe('MockProvider over HTTP', () => {
  it('reads every section and maps the wire fields', async () => {
    const sections = await fetchSections(LISTED.uscc);
    expect(sections.registration).toEqual({
      ok: true,
      value: {
        creditCode: LISTED.uscc,
        name: '示例贸易有限公司',
        statusText: '存续（在营、开业、在册）',
        legalRepresentative: '张三',
        registeredCapitalText: '500万美元',
        address: '北京市海淀区示例路1号',
        businessScope: '技术开发；技术咨询。',
        establishedOn: 1433088000000,
      },
    });
    expect(sections.abnormalOperations).toEqual({
      ok: true,
      value: [
        {
          recordId: 'AO-1',
          listedOn: '2025-03-10',
          reason: '未依照规定公示年度报告',
          authority: '北京市市场监督管理局',
          removedOn: '2025-06-01',
          removalReason: '补报年度报告',
        },
      ],
    });
    expect(sections.seriousViolations).toMatchObject({ ok: true, value: [{ recordId: 'SV-1', listedOn: 1735660800000 }] });
  });

  it('turns an explicit "no data" list answer into an empty list', async () => {
    const sections = await fetchSections(CLEAN.uscc);
    expect(sections.registration.ok).toBe(true);
    expect(read(sections, CLEAN.uscc).abnormalOperations).toEqual({ ok: true, value: [] });
    expect(read(sections, CLEAN.uscc).seriousViolations).toEqual({ ok: true, value: [] });
  });

  it('reports an unknown company as not_found on registration only', async () => {
    const sections = await fetchSections(UNKNOWN);
    expect(sections.registration).toMatchObject({ ok: false, error: { kind: 'not_found' } });
    expect(read(sections, UNKNOWN).abnormalOperations).toEqual({ ok: true, value: [] });
  });

  it('reads every page of a 45-entry list, in order', async () => {
    await control.resetStats();
    const sections = await fetchSections(MANY.uscc);
    expect(sections.abnormalOperations.ok && sections.abnormalOperations.value.map((e) => e.recordId)).toEqual(
      Array.from({ length: 45 }, (_, i) => `AO-${i + 1}`),
    );
    const stats = await control.stats();
    expect(stats.byKind).toMatchObject({ registration: 1, abnormalOperations: 3, seriousViolations: 1 });
  });

  it('refuses a list that needs more than maxPages, without paying for the pages', async () => {
    const capped = new MockProvider({ baseUrl: server.url, http, maxPages: 2 });
    try {
      await control.resetStats();
      const sections = await capped.fetchSections(MANY.uscc, new AbortController().signal);
      expect(sections.abnormalOperations).toMatchObject({
        ok: false,
        error: { kind: 'invalid_response', message: expect.stringContaining('45 entries need more than 2 pages') },
      });
      expect((await control.stats()).byKind.abnormalOperations).toBe(1);
    } finally {
      await capped.close();
    }
  });

  it('sees control API changes on the next fetch', async () => {
    await control.patchCompany(CLEAN.uscc, { status: '吊销，未注销', legalPerson: '李四' });
    const added = await control.addEntry(CLEAN.uscc, 'abnormal-operations', {
      listedOn: '2026-11-20',
      reason: '通过登记的住所或者经营场所无法联系的',
      authority: '北京市海淀区市场监督管理局',
    });
    let sections = await fetchSections(CLEAN.uscc);
    expect(sections.registration).toMatchObject({
      ok: true,
      value: { statusText: '吊销，未注销', legalRepresentative: '李四', registeredCapitalText: '1000万人民币', name: CLEAN.name },
    });
    expect(sections.abnormalOperations).toMatchObject({ ok: true, value: [{ recordId: added.id, listedOn: '2026-11-20', removedOn: null }] });

    await control.patchEntry(CLEAN.uscc, 'abnormal-operations', added.id, { removedOn: '2026-12-01', removalReason: '已联系' });
    sections = await fetchSections(CLEAN.uscc);
    expect(sections.abnormalOperations).toMatchObject({
      ok: true,
      value: [{ listedOn: '2026-11-20', authority: '北京市海淀区市场监督管理局', removedOn: '2026-12-01', removalReason: '已联系' }],
    });

    await control.deleteEntry(CLEAN.uscc, 'abnormal-operations', added.id);
    await control.deleteCompany(LISTED.uscc);
    expect(read(await fetchSections(CLEAN.uscc), CLEAN.uscc).abnormalOperations).toEqual({ ok: true, value: [] });
    expect((await fetchSections(LISTED.uscc)).registration).toMatchObject({ ok: false, error: { kind: 'not_found' } });

    await control.reset();
    expect((await fetchSections(LISTED.uscc)).registration.ok).toBe(true);
  });

  it('adds a company with PUT and serves it', async () => {
    const fresh = validUscc(500);
    await control.putCompany(fresh, { name: '新增示例有限公司', status: '在业', regCapital: '1000.000000万元人民币' });
    const sections = await fetchSections(fresh);
    expect(sections.registration).toMatchObject({ ok: true, value: { name: '新增示例有限公司', statusText: '在业' } });
  });

  it('propagates a shutdown abort instead of failing the sections', async () => {
    await control.addFault({ kind: 'timeout' });
    const shutdown = new AbortController();
    const pending = provider.fetchSections(CLEAN.uscc, shutdown.signal);
    await expect.poll(async () => (await control.stats()).inFlight).toBeGreaterThanOrEqual(3);
    shutdown.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('MockProvider with a token', () => {
  it('sends the bearer token and fails with auth without it', async () => {
    const secured = await startMockProviderServer({ state: testState(CLEAN), token: 's3cret' });
    const withToken = new MockProvider({ baseUrl: secured.url, http, token: 's3cret' });
    const without = new MockProvider({ baseUrl: secured.url, http });
    try {
      const ok = await withToken.fetchSections(CLEAN.uscc, new AbortController().signal);
      expect(ok.registration.ok).toBe(true);
      const refused = await without.fetchSections(CLEAN.uscc, new AbortController().signal);
      expect(refused.registration).toMatchObject({ ok: false, error: { kind: 'auth' } });
      expect(refused.registration.ok || refused.registration.error.message).not.toContain('s3cret');
    } finally {
      await withToken.close();
      await without.close();
      await secured.close();
    }
  });
});
