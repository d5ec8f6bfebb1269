import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderErrorKind, RawSections, SectionName } from '../../../src/domain/sections.js';
import { toFetchedSections } from '../../../src/domain/fetched-sections.js';
import { sha256Hex } from '../../../src/wiring/check-deps.js';
import { createHttpClient, type HttpClient } from '../../../src/providers/http-client.js';
import { MockProvider } from '../../../src/providers/mock/mock-provider.js';
import { startMockProviderServer, type MockProviderServer } from '../../../src/providers/mock/server.js';
import { mockProviderControl, type FaultRequest, type MockProviderControl } from '../../helpers/mock-provider-control.js';
import { testCompany, testEntries, testState } from '../../helpers/mock-provider-fixtures.js';

const COMPANY = testCompany(10, { abnormalOperations: testEntries(3), seriousViolations: testEntries(2, 'SV') });
const OTHER = testCompany(11);
const TIMEOUT_MS = 400;

let server: MockProviderServer;
let control: MockProviderControl;
let http: HttpClient;
let provider: MockProvider;

beforeAll(async () => {
  server = await startMockProviderServer({ state: testState(COMPANY, OTHER) });
  control = mockProviderControl(server);
  http = createHttpClient({ headersTimeoutMs: TIMEOUT_MS, bodyTimeoutMs: TIMEOUT_MS });
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

const fetchSections = () => provider.fetchSections(COMPANY.uscc, new AbortController().signal);
const SECTIONS: SectionName[] = ['registration', 'abnormalOperations', 'seriousViolations'];

function expectOnlyFailed(sections: RawSections, failed: SectionName, kind: ProviderErrorKind): void {
  // A foreign body comes from the adapter as an answer and is refused by the domain: where the raw
  // section is ok, look at it as the core reads it.
  const read = toFetchedSections(sections, sha256Hex, { uscc: COMPANY.uscc });
  for (const name of SECTIONS) {
    const result = sections[name]?.ok === false ? sections[name] : read[name];
    if (name === failed) expect(result, name).toMatchObject({ ok: false, error: { kind } });
    else expect(result?.ok, `${name} should be unaffected`).toBe(true);
  }
}

describe('faults map to ProviderError kinds, one section at a time', () => {
  it.each<{ fault: Omit<FaultRequest, 'uscc'>; section: SectionName; kind: ProviderErrorKind }>([
    { fault: { kind: '5xx' }, section: 'abnormalOperations', kind: 'transient' },
    { fault: { kind: '5xx', httpStatus: 502 }, section: 'registration', kind: 'transient' },
    { fault: { kind: 'rate_limit' }, section: 'seriousViolations', kind: 'rate_limited' },
    { fault: { kind: 'rate_limit', httpStatus: 200 }, section: 'registration', kind: 'rate_limited' },
    { fault: { kind: 'timeout' }, section: 'abnormalOperations', kind: 'transient' },
    { fault: { kind: 'malformed' }, section: 'registration', kind: 'invalid_response' },
    { fault: { kind: 'truncated' }, section: 'abnormalOperations', kind: 'invalid_response' },
    { fault: { kind: 'truncated', framing: 'chunked' }, section: 'registration', kind: 'invalid_response' },
    { fault: { kind: 'foreign' }, section: 'registration', kind: 'invalid_response' },
    { fault: { kind: 'html' }, section: 'seriousViolations', kind: 'invalid_response' },
    { fault: { kind: 'html', httpStatus: 502 }, section: 'seriousViolations', kind: 'transient' },
    { fault: { kind: 'not_found' }, section: 'registration', kind: 'not_found' },
    { fault: { kind: 'not_found' }, section: 'abnormalOperations', kind: 'not_found' },
    { fault: { kind: 'no_data' }, section: 'registration', kind: 'no_data' },
    { fault: { kind: 'auth' }, section: 'abnormalOperations', kind: 'auth' },
    { fault: { kind: 'quota' }, section: 'registration', kind: 'quota' },
    { fault: { kind: 'bad_schema' }, section: 'seriousViolations', kind: 'invalid_response' },
    { fault: { kind: 'bad_schema' }, section: 'registration', kind: 'invalid_response' },
    { fault: { kind: 'reset' }, section: 'registration', kind: 'transient' },
    { fault: { kind: 'redirect' }, section: 'abnormalOperations', kind: 'invalid_response' },
    { fault: { kind: 'oversize' }, section: 'seriousViolations', kind: 'invalid_response' },
  ])('$fault.kind $fault.httpStatus $fault.framing on $section → $kind', async ({ fault, section, kind }) => {
    await control.addFault({ ...fault, uscc: COMPANY.uscc, section });
    expectOnlyFailed(await fetchSections(), section, kind);
    expect((await control.stats()).faultsInjected[fault.kind]).toBeGreaterThanOrEqual(1);
  });

  it('answers normally after latency', async () => {
    await control.addFault({ kind: 'latency', latencyMs: 50, section: 'registration' });
    const started = performance.now();
    const sections = await fetchSections();
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(sections.registration.ok).toBe(true);
  });

  it('reads an explicit "no data" on a list as an empty list', async () => {
    await control.addFault({ kind: 'no_data', section: 'abnormal-operations' });
    expect(toFetchedSections(await fetchSections(), sha256Hex, { uscc: COMPANY.uscc }).abnormalOperations).toEqual({ ok: true, value: [] });
  });

  it('carries Retry-After as retryAfterMs', async () => {
    await control.addFault({ kind: 'rate_limit', retryAfterSeconds: 7, section: 'registration' });
    const { registration } = await fetchSections();
    expect(registration).toMatchObject({ ok: false, error: { kind: 'rate_limited', retryAfterMs: 7000 } });
  });

  it('names the foreign company in the message', async () => {
    await control.addFault({ kind: 'foreign' });
    const { registration } = toFetchedSections(await fetchSections(), sha256Hex, { uscc: COMPANY.uscc });
    expect(registration.ok || registration.error.message).toMatch(new RegExp(`foreign body.*${OTHER.uscc}`));
  });

  it('gives up on a hanging request as transient within the configured timeout', async () => {
    await control.addFault({ kind: 'timeout', section: 'registration' });
    const started = performance.now();
    const { registration } = await fetchSections();
    const elapsed = performance.now() - started;
    expect(registration).toMatchObject({ ok: false, error: { kind: 'transient', message: expect.stringContaining('UND_ERR_HEADERS_TIMEOUT') } });
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 1500);
  });

  it('fails a list whose total changes between pages', async () => {
    const big = testCompany(12, { abnormalOperations: testEntries(30) });
    await control.putCompany(big.uscc, big);
    await control.resetStats();
    // Page 1 passes at once (latency 0 uses up the first fault); page 2 is held while an entry is added.
    const scope = { uscc: big.uscc, section: 'abnormalOperations', times: 1 };
    await control.addFault({ kind: 'latency', latencyMs: 0, ...scope });
    await control.addFault({ kind: 'latency', latencyMs: 1500, ...scope });
    const patientHttp = createHttpClient();
    const patient = new MockProvider({ baseUrl: server.url, http: patientHttp });
    try {
      const pending = patient.fetchSections(big.uscc, new AbortController().signal);
      await expect.poll(async () => (await control.stats()).faultsInjected.latency, { timeout: 5000 }).toBe(2);
      await control.addEntry(big.uscc, 'abnormal-operations', { listedOn: '2026-11-27', reason: '新增' });
      const sections = await pending;
      expect(sections.abnormalOperations).toMatchObject({
        ok: false,
        error: { kind: 'invalid_response', message: expect.stringContaining('total changed from 30 to 31') },
      });
    } finally {
      await patient.close();
      await patientHttp.close();
    }
  });

  it('stops after `times` hits', async () => {
    await control.addFault({ kind: '5xx', section: 'registration', times: 2 });
    const results = [];
    for (let i = 0; i < 3; i++) results.push((await fetchSections()).registration.ok);
    expect(results).toEqual([false, false, true]);
  });

  it('repeats a probabilistic fault pattern for the same seed', async () => {
    const pattern = async (): Promise<boolean[]> => {
      await control.clearFaults();
      await control.addFault({ kind: '5xx', section: 'registration', probability: 0.5, seed: 42 });
      const oks: boolean[] = [];
      for (let i = 0; i < 16; i++) oks.push((await fetchSections()).registration.ok);
      return oks;
    };
    const first = await pattern();
    expect(first).toContain(true);
    expect(first).toContain(false);
    expect(await pattern()).toEqual(first);
  });
});
