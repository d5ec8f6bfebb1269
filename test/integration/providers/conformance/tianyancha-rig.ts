/** The 天眼查 adapter over the 天眼查 fake (test/helpers/tianyancha-fake.ts). */
import { TianyanchaProvider } from '../../../../src/providers/tianyancha/tianyancha-provider.js';
import { TIANYANCHA_SECTIONS } from '../../../../src/providers/tianyancha/tianyancha-sections.js';
import type { FakeOverride } from '../../../helpers/fake-overrides.js';
import { startTianyanchaFake, tycBaseInfo, type TycFakeCompany } from '../../../helpers/tianyancha-fake.js';
import type { ProviderRig, RigCompany, RigEntry, RigFailure, RigSection } from './provider-rig.js';

const PATHS: Record<RigSection, string> = {
  registration: TIANYANCHA_SECTIONS.registration.path,
  abnormalOperations: TIANYANCHA_SECTIONS.abnormalOperations.path,
};

const CODES = { auth: 300009, quota: 300006, rate_limited: 300004, transient: 300001 } as const;

function wireEntry(entry: RigEntry) {
  return { putDate: entry.listedOn, putReason: entry.reason, putDepartment: entry.authority, removeDate: '', removeReason: '', removeDepartment: '' };
}

function overrideFor(failure: RigFailure): Omit<FakeOverride, 'path'> {
  switch (failure) {
    case 'rate_limited_for_7s':
      return { status: 429, headers: { 'retry-after': '7' }, body: { error_code: 300004, reason: '访问频率过快' } };
    case 'bad_schema':
      return { body: { error_code: 0, reason: 'ok', result: { name: 42, total: '很多', items: '无' } } };
    case 'malformed':
      return { body: '{"error_code":0,"reason":"ok","result":{"name":"示例' };
    case 'oversize':
      return { body: { error_code: 0, reason: 'ok', result: { padding: 'x'.repeat(64 * 1024) } } };
    case 'auth':
    case 'quota':
    case 'rate_limited':
    case 'transient':
      return { body: { error_code: CODES[failure], reason: '', result: null } };
  }
}

export async function startTianyanchaRig(): Promise<ProviderRig> {
  const fake = await startTianyanchaFake();
  return {
    provider: (http) => new TianyanchaProvider({ token: fake.token, baseUrl: fake.url, http, sections: { administrativePenalties: true, dishonestDebtors: true, annualReports: false } }),
    serve: (company: RigCompany) => {
      fake.clear();
      fake.companies.clear();
      const served: TycFakeCompany = {
        baseInfo: tycBaseInfo(company.uscc, { name: company.name }),
        abnormal: company.abnormalOperations.map(wireEntry),
        illegal: company.seriousViolations.map(wireEntry),
      };
      fake.companies.set(company.uscc, served);
      return Promise.resolve();
    },
    useNoDataForm: () => undefined,
    answerRegistrationAs: (uscc, creditCode) => {
      const company = fake.companies.get(uscc);
      if (company === undefined) throw new Error(`${uscc} is not served`);
      company.baseInfo = { ...company.baseInfo, creditCode };
      return Promise.resolve();
    },
    fail: (section, failure, page = 1) => {
      // The fake matches overrides on path and query; `pageNum=N&` names one page.
      fake.override({ ...overrideFor(failure), path: page === 1 ? PATHS[section] : `pageNum=${page}&` });
      return Promise.resolve();
    },
    calls: (section) => Promise.resolve(fake.requests.filter((r) => r.path === PATHS[section]).length),
    close: () => fake.close(),
  };
}
