/**
 * The annual reports (年度报告) at the mock provider: state file, wire path, paging, control API, faults,
 * and the adapter's switch (on in config and asked for by the check, else no call). 天眼查 and 企查查
 * have no confirmed annual-report endpoint, so turning the section on with them is refused.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeFailure } from '../../../src/cli/exit.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { isAppError } from '../../../src/errors.js';
import { createLogger } from '../../../src/logger.js';
import { openProvider } from '../../../src/main.js';
import { diffAnnualReports, normaliseAnnualReports } from '../../../src/domain/annual-reports.js';
import { toFetchedSections } from '../../../src/domain/fetched-sections.js';
import { normaliseRegistration } from '../../../src/domain/normalise.js';
import { NO_OPTIONAL_SECTIONS } from '../../../src/domain/sections.js';
import { createHttpClient, type HttpClient } from '../../../src/providers/http-client.js';
import { MockProvider } from '../../../src/providers/mock/mock-provider.js';
import { startMockProviderServer, type MockProviderServer } from '../../../src/providers/mock/server.js';
import { loadMockState, parseMockState } from '../../../src/providers/mock/state.js';
import { QichachaProvider } from '../../../src/providers/qichacha/qichacha-provider.js';
import { TianyanchaProvider } from '../../../src/providers/tianyancha/tianyancha-provider.js';
import { sha256Hex } from '../../../src/wiring/check-deps.js';
import { mockProviderControl, type MockProviderControl } from '../../helpers/mock-provider-control.js';
import { testCompany, testState } from '../../helpers/mock-provider-fixtures.js';

const FILER = testCompany(541, {
  annualReports: [
    { year: 2025, publishedOn: '2026-05-20' },
    { year: 2024, publishedOn: 1718640000000 },
    { year: 2023, publishedOn: null },
  ],
});
const NEVER = testCompany(542);
const ON = { ...NO_OPTIONAL_SECTIONS, annualReports: true };
let server: MockProviderServer;
let control: MockProviderControl;
let http: HttpClient;

beforeAll(async () => {
  server = await startMockProviderServer({ port: 0, state: testState(FILER, NEVER) });
  control = mockProviderControl(server);
  http = createHttpClient();
});
afterEach(async () => {
  await control.reset();
  await control.resetStats();
});
afterAll(async () => {
  await http.close();
  await server.close();
});

const signal = () => AbortSignal.timeout(10_000);

describe('the mock annual-reports endpoint', () => {
  it('serves GET /v1/companies/{uscc}/annual-reports in the list envelope, and "no data" for none', async () => {
    const answer = await request(`${server.url}/v1/companies/${FILER.uscc}/annual-reports?page=1&pageSize=2`);
    expect(answer.statusCode).toBe(200);
    expect(await answer.body.json()).toEqual({
      code: 0,
      data: { total: 3, items: [{ year: 2025, publishedOn: '2026-05-20' }, { year: 2024, publishedOn: 1718640000000 }] },
    });
    const none = await request(`${server.url}/v1/companies/${NEVER.uscc}/annual-reports`);
    expect(await none.body.json()).toEqual({ code: 204, message: '无数据' });
  });

  it('reads every page only when on and asked for; the answer normalises to years and dates', async () => {
    const provider = new MockProvider({ baseUrl: server.url, http, sections: ON, pageSize: 2 });
    expect('annualReports' in (await provider.fetchSections(FILER.uscc, signal()))).toBe(false);
    expect((await control.stats()).byKind.annualReports).toBe(0);

    const sections = await provider.fetchSections(FILER.uscc, signal(), { annualReports: true });
    expect((await control.stats()).byKind.annualReports).toBe(2);
    expect(toFetchedSections(sections, sha256Hex, { uscc: FILER.uscc, readOn: '2026-07-01' }).annualReports).toEqual({
      ok: true,
      value: {
        readOn: '2026-07-01',
        reports: [
          { year: 2023, publishedOn: null },
          { year: 2024, publishedOn: '2024-06-18' },
          { year: 2025, publishedOn: '2026-05-20' },
        ],
      },
    });
    const never = await provider.fetchSections(NEVER.uscc, signal(), { annualReports: true });
    expect(toFetchedSections(never, sha256Hex, { readOn: '2026-07-01' }).annualReports).toEqual({ ok: true, value: { readOn: '2026-07-01', reports: [] } });
  });

  it('off in the configuration: no call even when the check asks', async () => {
    const provider = new MockProvider({ baseUrl: server.url, http });
    expect('annualReports' in (await provider.fetchSections(FILER.uscc, signal(), { annualReports: true }))).toBe(false);
    expect((await control.stats()).byKind.annualReports).toBe(0);
  });

  it('PATCH companies/{uscc} replaces the published reports; they are not entries of a list', async () => {
    await control.patchCompany(NEVER.uscc, { annualReports: [{ year: 2025, publishedOn: '2026-06-30' }] });
    const provider = new MockProvider({ baseUrl: server.url, http, sections: ON });
    const sections = await provider.fetchSections(NEVER.uscc, signal(), { annualReports: true });
    expect(sections.annualReports).toEqual({ ok: true, value: [{ year: 2025, publishedOn: '2026-06-30' }] });
    await expect(control.call('POST', `companies/${NEVER.uscc}/annual-reports`, { year: 2024 })).rejects.toThrow(/HTTP 404/);
    await expect(control.patchCompany(NEVER.uscc, { annualReports: [{ year: 2025, publishedOn: null }, { year: 2025, publishedOn: null }] })).rejects.toThrow(
      /HTTP 400 .*annualReports\[1\]\.year: duplicate 2025/,
    );
  });

  it('a fault on the section fails it alone', async () => {
    await control.addFault({ kind: '5xx', section: 'annual-reports', times: 1 });
    const provider = new MockProvider({ baseUrl: server.url, http, sections: ON });
    const sections = await provider.fetchSections(FILER.uscc, signal(), { annualReports: true });
    expect(sections.annualReports).toMatchObject({ ok: false, error: { kind: 'transient' } });
    expect(sections.registration.ok).toBe(true);
    expect(sections.abnormalOperations).toMatchObject({ ok: false, error: { kind: 'no_data' } }); // an empty list, read
    await expect(provider.fetchSections(FILER.uscc, signal(), { annualReports: true })).resolves.toMatchObject({ annualReports: { ok: true } });
  });

  it('the sample portfolio: two trading companies have not published their 2025 report', async () => {
    const state = await loadMockState('config/sample-portfolio.json');
    const missing = state.companies.filter((company) => {
      const registration = normaliseRegistration({
        creditCode: company.uscc,
        name: company.name,
        statusText: company.status,
        legalRepresentative: company.legalPerson,
        registeredCapitalText: company.regCapital,
        address: company.address,
        businessScope: company.scope,
        establishedOn: company.establishedOn,
      });
      const read = normaliseAnnualReports(company.annualReports ?? [], '2026-07-01');
      return diffAnnualReports(undefined, { ok: true, value: read }, registration).events.length > 0;
    });
    expect(missing.map((company) => company.name)).toEqual(['示例贸易有限公司', '假想食品有限公司']);
  });

  it('a state file refuses a bad report year, and keeps the section absent when left out', () => {
    const company = { uscc: NEVER.uscc, name: '样例', status: '存续' };
    expect(() => parseMockState({ companies: [{ ...company, annualReports: [{ year: '2025' }] }] }, 'state.json')).toThrow(
      /state\.json: companies\[0\]\.annualReports\[0\]\.year/,
    );
    expect(parseMockState({ companies: [company] }, 'state.json').companies[0]).not.toHaveProperty('annualReports');
  });
});

describe('adapters without a confirmed annual-report endpoint', () => {
  const adapters = (sections: typeof ON) => [
    { id: 'tianyancha', create: (): unknown => new TianyanchaProvider({ token: 't', baseUrl: 'http://127.0.0.1:9', http, sections }) },
    { id: 'qichacha', create: (): unknown => new QichachaProvider({ key: 'k', secret: 's', baseUrl: 'http://127.0.0.1:9', http, sections }) },
  ];

  it.each(adapters(ON))('$id refuses provider.sections.annualReports with CONFIG_INVALID (exit 2)', ({ id, create }) => {
    let thrown: unknown;
    try {
      create();
    } catch (error) {
      thrown = error;
    }
    expect(isAppError(thrown) && thrown.code).toBe('CONFIG_INVALID');
    expect((thrown as Error).message).toBe(
      `provider.sections.annualReports: the ${id} provider cannot read annual reports (no confirmed wire format, see docs/providers.md)`,
    );
  });

  it.each(adapters(NO_OPTIONAL_SECTIONS))('$id starts with the section off', ({ create }) => {
    expect(create).not.toThrow();
  });
});

describe('the configuration, as a command opens it', () => {
  it.each(['tianyancha', 'qichacha'])('%s with provider.sections.annualReports on: one line naming both, exit 2', async (kind) => {
    const dir = mkdtempSync(join(tmpdir(), 'cm-annual-'));
    try {
      const file = join(dir, 'policy.json');
      writeFileSync(file, JSON.stringify({ provider: { sections: { [kind]: { annualReports: true } } } }));
      const env = { CM_CONFIG: file, CM_PROVIDER: kind, CM_TIANYANCHA_TOKEN: 't', CM_QICHACHA_KEY: 'k', CM_QICHACHA_SECRET: 's' };
      const config = loadConfig(env, process.cwd());
      const failure = await openProvider(config, createLogger('silent')).then(
        () => undefined,
        (error: unknown) => describeFailure(error),
      );
      expect(failure?.exitCode).toBe(2);
      expect(failure?.line).toMatch(new RegExp(`^provider\\.sections\\.annualReports: the ${kind} provider cannot read annual reports`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
