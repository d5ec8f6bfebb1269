import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseUscc } from '../../../src/domain/uscc.js';
import { createHttpClient } from '../../../src/providers/http-client.js';
import { startMockProviderServer, type MockProviderServer } from '../../../src/providers/mock/server.js';
import { loadMockState } from '../../../src/providers/mock/state.js';
import { mockProviderControl, type MockProviderControl } from '../../helpers/mock-provider-control.js';
import { testCompany, testState } from '../../helpers/mock-provider-fixtures.js';

const COMPANY = testCompany(20);

describe('mock provider server', () => {
  let server: MockProviderServer;
  let control: MockProviderControl;
  beforeAll(async () => {
    server = await startMockProviderServer({ state: testState(COMPANY) });
    control = mockProviderControl(server);
  });
  afterEach(async () => {
    await control.reset();
  });
  afterAll(async () => {
    await server.close();
  });

  it.each([
    { method: 'POST', path: 'faults', body: { kind: 'meteor' }, status: 400, error: 'kind' },
    { method: 'POST', path: 'faults', body: { kind: 'latency' }, status: 400, error: 'latencyMs' },
    { method: 'POST', path: 'faults', body: { kind: 'foreign', section: 'serious-violations' }, status: 400, error: 'registration only' },
    { method: 'POST', path: 'faults', body: { kind: '5xx', probability: 2 }, status: 400, error: 'probability' },
    { method: 'PATCH', path: `companies/${COMPANY.uscc}`, body: { nmae: 'x' }, status: 400, error: 'nmae' },
    { method: 'PATCH', path: 'companies/91110000MA0000999X', body: { name: 'x' }, status: 404, error: 'not found' },
    { method: 'POST', path: `companies/${COMPANY.uscc}/abnormal-operations`, body: { listedOn: 'yesterday', reason: 'x' }, status: 400, error: 'listedOn' },
    { method: 'POST', path: `companies/${COMPANY.uscc}/penalties`, body: {}, status: 404, error: 'unknown list' },
    { method: 'PUT', path: 'companies/123', body: { name: 'x', status: '存续' }, status: 400, error: 'uscc' },
    { method: 'GET', path: 'nothing-here', body: undefined, status: 404, error: 'no control route' },
  ] as const)('$method $path answers $status', async ({ method, path, body, status, error }) => {
    await expect(control.call(method, path, body)).rejects.toThrow(new RegExp(`HTTP ${status}.*${error}`));
  });

  it('refuses a duplicate entry id', async () => {
    const entry = { id: 'X-1', listedOn: '2026-01-01', reason: '测试' };
    await control.addEntry(COMPANY.uscc, 'serious-violations', entry);
    await expect(control.addEntry(COMPANY.uscc, 'serious-violations', entry)).rejects.toThrow(/HTTP 409/);
  });

  it('lists, removes and clears faults', async () => {
    const first = await control.addFault({ kind: '5xx', times: 3 });
    await control.addFault({ kind: 'no_data', section: 'abnormal-operations' });
    const listed = await control.call<{ faults: { id: string; section?: string; remaining: number | null }[] }>('GET', 'faults');
    expect(listed.faults).toMatchObject([{ id: first.id, remaining: 3 }, { section: 'abnormalOperations', remaining: null }]);
    await control.call('DELETE', `faults/${first.id}`);
    expect((await control.call<{ faults: unknown[] }>('GET', 'faults')).faults).toHaveLength(1);
    await control.clearFaults();
    expect((await control.call<{ faults: unknown[] }>('GET', 'faults')).faults).toHaveLength(0);
  });

  it('replaces and restores the whole state', async () => {
    const other = testCompany(21);
    await control.call('PUT', 'state', { companies: [other] });
    expect((await control.state()).companies.map((c) => c.uscc)).toEqual([other.uscc]);
    await control.reset();
    expect((await control.state()).companies.map((c) => c.uscc)).toEqual([COMPANY.uscc]);
  });

  it('counts requests by kind, status, company and second', async () => {
    const client = createHttpClient();
    try {
      await control.resetStats();
      await control.addFault({ kind: 'rate_limit', section: 'registration', times: 1 });
      const signal = new AbortController().signal;
      for (const path of ['registration', 'registration', 'abnormal-operations', 'unknown']) {
        await client.getJson(`${server.url}/v1/companies/${COMPANY.uscc}/${path}`, { signal });
      }
      const stats = await control.stats();
      expect(stats).toMatchObject({
        requestsTotal: 4,
        byKind: { registration: 2, abnormalOperations: 1, other: 1 },
        byStatus: { '200': 2, '429': 1, '404': 1 },
        byUscc: { [COMPANY.uscc]: 4 },
        faultsInjected: { rate_limit: 1 },
        inFlight: 0,
      });
      expect(stats.recentPerSecond.reduce((sum, { count }) => sum + count, 0)).toBe(4);
      expect(stats.peakPerSecond).toBeGreaterThanOrEqual(1);
      expect(server.stats().requestsTotal).toBe(4);
    } finally {
      await client.close();
    }
  });
});

it('closes promptly while a request hangs on a timeout fault', async () => {
  const server = await startMockProviderServer({ state: testState(COMPANY) });
  const control = mockProviderControl(server);
  await control.addFault({ kind: 'timeout' });
  const client = createHttpClient({ headersTimeoutMs: 60_000, totalTimeoutMs: 60_000 });
  try {
    const pending = client.getJson(`${server.url}/v1/companies/${COMPANY.uscc}/registration`, {
      signal: new AbortController().signal,
    });
    await expect.poll(() => server.stats().inFlight).toBe(1);
    const started = performance.now();
    await server.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await pending).toMatchObject({ ok: false, error: { kind: 'transient' } });
  } finally {
    await client.close();
  }
});

describe('loadMockState', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mock-state-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    { name: 'missing.json', content: undefined, message: /missing\.json: cannot read the mock state file \(ENOENT\)$/ },
    { name: 'broken.json', content: '{"companies": [', message: /broken\.json: not valid JSON$/ },
    {
      name: 'bad-date.json',
      content: JSON.stringify({ companies: [{ ...COMPANY, abnormalOperations: [{ listedOn: '20/11/2026', reason: 'x' }] }] }),
      message: /bad-date\.json: companies\[0\]\.abnormalOperations\[0\]\.listedOn: expected a date/,
    },
    {
      name: 'bad-code.json',
      content: JSON.stringify({ companies: [{ ...COMPANY, uscc: '91440300708461136' }] }),
      message: /bad-code\.json: companies\[0\]\.uscc: not a unified social credit code/,
    },
    {
      name: 'duplicate.json',
      content: JSON.stringify({ companies: [COMPANY, COMPANY] }),
      message: /duplicate\.json: companies\[1\]\.uscc: duplicate/,
    },
  ])('names the file and field for $name', async ({ name, content, message }) => {
    const file = join(dir, name);
    if (content !== undefined) await writeFile(file, content);
    const error = await loadMockState(file).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'INPUT_UNREADABLE' });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('accepts a pilot code whose only fault is its check digit, and assigns missing entry ids', async () => {
    const file = join(dir, 'pilot.json');
    const pilot = { ...COMPANY, uscc: '91350100M000100Y4Z', abnormalOperations: [{ listedOn: 1732032000000, reason: '测试' }] };
    await writeFile(file, `\uFEFF${JSON.stringify({ companies: [pilot] })}`);
    const state = await loadMockState(file);
    expect(state.companies[0]?.abnormalOperations[0]).toMatchObject({ id: 'AO-91350100M000100Y4Z-1', removedOn: null });
  });

  it('loads config/sample-portfolio.json: 20 companies with valid codes and varied data', async () => {
    const state = await loadMockState('config/sample-portfolio.json');
    expect(state.companies).toHaveLength(20);
    for (const company of state.companies) expect(parseUscc(company.uscc), company.uscc).toMatchObject({ ok: true });
    const statuses = state.companies.map((company) => company.status);
    expect(statuses).toEqual(expect.arrayContaining(['吊销，未注销', '注销', '存续（在营、开业、在册）', '在业']));
    expect(state.companies.filter((company) => company.abnormalOperations.length > 0).length).toBeGreaterThanOrEqual(3);
    expect(state.companies.some((company) => company.abnormalOperations.some((entry) => entry.removedOn !== null))).toBe(true);
    expect(state.companies.filter((company) => company.seriousViolations.length > 0)).toHaveLength(1);
    const dates = state.companies.map((company) => typeof company.establishedOn);
    expect(dates).toEqual(expect.arrayContaining(['string', 'number']));
    const csv = (await readFile('config/sample-customers.csv', 'utf8')).trim().split('\n');
    expect(csv[0]).toBe('uscc,name,tags');
    expect(csv.slice(1).map((line) => line.split(',').slice(0, 2).join(','))).toEqual(
      state.companies.map((company) => `${company.uscc},${company.name}`),
    );
  });
});
