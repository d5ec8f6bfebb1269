/** The mock provider's optional lists: state file, wire paths, paging, control API and the adapter switch. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toFetchedSections } from '../../../src/domain/fetched-sections.js';
import { sha256Hex } from '../../../src/wiring/check-deps.js';
import { createHttpClient, type HttpClient } from '../../../src/providers/http-client.js';
import { MockProvider } from '../../../src/providers/mock/mock-provider.js';
import { startMockProviderServer, type MockProviderServer } from '../../../src/providers/mock/server.js';
import { testCompany, testEntries, testState } from '../../helpers/mock-provider-fixtures.js';
import { mockProviderControl, type MockProviderControl } from '../../helpers/mock-provider-control.js';
import { validUscc } from '../../helpers/valid-uscc.js';

const PENALISED = testCompany(531, { administrativePenalties: testEntries(45, 'AP') });
const PLAIN = testCompany(532);
let server: MockProviderServer;
let control: MockProviderControl;
let http: HttpClient;
let off: MockProvider;
let on: MockProvider;

beforeAll(async () => {
  server = await startMockProviderServer({ port: 0, state: testState(PENALISED, PLAIN) });
  control = mockProviderControl(server);
  http = createHttpClient();
  off = new MockProvider({ baseUrl: server.url, http });
  on = new MockProvider({ baseUrl: server.url, http, sections: { administrativePenalties: true, dishonestDebtors: true, annualReports: false } });
});
afterEach(async () => {
  await control.reset();
});
afterAll(async () => {
  await off.close();
  await on.close();
  await http.close();
  await server.close();
});

const signal = () => AbortSignal.timeout(10_000);

describe('mock optional sections', () => {
  it('off: no request for them, no key in the answer', async () => {
    await control.resetStats();
    const sections = await off.fetchSections(PENALISED.uscc, signal());
    expect('administrativePenalties' in sections || 'dishonestDebtors' in sections).toBe(false);
    const stats = await control.stats();
    expect(stats.byKind.administrativePenalties).toBe(0);
    expect(stats.byKind.dishonestDebtors).toBe(0);
  });

  it('on: reads every page of 45 penalties, and a company without the list has none', async () => {
    const sections = await on.fetchSections(PENALISED.uscc, signal());
    expect(sections.administrativePenalties?.ok && sections.administrativePenalties.value.map((e) => e.recordId)).toEqual(
      testEntries(45, 'AP').map((e) => e.id),
    );
    expect(toFetchedSections(sections, sha256Hex, { uscc: PENALISED.uscc }).dishonestDebtors).toEqual({ ok: true, value: [] });
    expect((await control.stats()).byKind.administrativePenalties).toBeGreaterThanOrEqual(3);
  });

  it('the control API adds, patches and deletes dishonest-debtor entries', async () => {
    const added = await control.addEntry(PLAIN.uscc, 'dishonest-debtors', { id: '(2024)京0108执1号', listedOn: '2024-05-01', reason: '违反财产报告制度', authority: '北京市海淀区人民法院' });
    expect(added.id).toBe('(2024)京0108执1号');
    let sections = await on.fetchSections(PLAIN.uscc, signal());
    expect(sections.dishonestDebtors).toMatchObject({ ok: true, value: [{ recordId: '(2024)京0108执1号', listedOn: '2024-05-01', authority: '北京市海淀区人民法院' }] });
    await control.patchEntry(PLAIN.uscc, 'dishonest-debtors', added.id, { removedOn: '2024-09-01' });
    sections = await on.fetchSections(PLAIN.uscc, signal());
    expect(sections.dishonestDebtors).toMatchObject({ ok: true, value: [{ removedOn: '2024-09-01' }] });
    await control.deleteEntry(PLAIN.uscc, 'dishonest-debtors', added.id);
    expect(toFetchedSections(await on.fetchSections(PLAIN.uscc, signal()), sha256Hex, { uscc: PLAIN.uscc }).dishonestDebtors).toEqual({ ok: true, value: [] });
  });

  it('a fault on one optional list fails only it', async () => {
    await control.addFault({ kind: '5xx', uscc: PENALISED.uscc, section: 'dishonestDebtors' });
    const sections = await on.fetchSections(PENALISED.uscc, signal());
    expect(sections.dishonestDebtors).toMatchObject({ ok: false, error: { kind: 'transient' } });
    expect(sections.administrativePenalties?.ok && sections.registration.ok).toBe(true);
  });

  it('a state without the optional lists reads back without them', async () => {
    const state = await control.state();
    expect(state.companies.find((c) => c.uscc === PLAIN.uscc)).not.toHaveProperty('administrativePenalties');
    expect(state.companies.find((c) => c.uscc === validUscc(531))?.administrativePenalties).toHaveLength(45);
  });
});
