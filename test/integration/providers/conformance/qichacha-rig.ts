/** The 企查查 adapter over the 企查查 fake (test/helpers/qichacha-fake.ts). */
import { QichachaProvider } from '../../../../src/providers/qichacha/qichacha-provider.js';
import { QICHACHA_SECTIONS } from '../../../../src/providers/qichacha/qichacha-sections.js';
import type { FakeOverride } from '../../../helpers/fake-overrides.js';
import { qccBaseInfo, startQichachaFake, type QccFakeCompany } from '../../../helpers/qichacha-fake.js';
import type { ProviderRig, RigCompany, RigEntry, RigFailure, RigSection } from './provider-rig.js';

const PATHS: Record<RigSection, string> = {
  registration: QICHACHA_SECTIONS.registration.path,
  abnormalOperations: QICHACHA_SECTIONS.abnormalOperations.path,
};

// 120 is an account-wide rate limit with no advised wait; 199 an unknown system error.
const STATUSES = { auth: '101', quota: '112', rate_limited: '120', transient: '199' } as const;

function wireEntry(entry: RigEntry) {
  return { AddDate: entry.listedOn, AddReason: entry.reason, DecisionOffice: entry.authority, RemoveDate: '', RomoveReason: '', RemoveDecisionOffice: '' };
}

function overrideFor(failure: RigFailure): Omit<FakeOverride, 'path'> {
  switch (failure) {
    case 'rate_limited_for_7s':
      return { status: 429, headers: { 'retry-after': '7' }, body: { Status: '122', Message: '请求超过系统并发限制', Result: null } };
    case 'bad_schema':
      return { body: { Status: '200', Message: '查询成功', Result: { Name: 42, VerifyResult: '有', Data: '无' } } };
    case 'malformed':
      return { body: '{"Status":"200","Message":"查询成功","Result":{"Name":"示例' };
    case 'oversize':
      return { body: { Status: '200', Message: '查询成功', Result: { padding: 'x'.repeat(64 * 1024) } } };
    case 'auth':
    case 'quota':
    case 'rate_limited':
    case 'transient':
      return { body: { Status: STATUSES[failure], Message: '【无效请求】', OrderNumber: 'X', Result: null } };
  }
}

export async function startQichachaRig(): Promise<ProviderRig> {
  const fake = await startQichachaFake();
  return {
    provider: (http) =>
      new QichachaProvider({ key: fake.key, secret: fake.secret, baseUrl: fake.url, http, sections: { administrativePenalties: true, dishonestDebtors: true, annualReports: false } }),
    serve: (company: RigCompany) => {
      fake.clear();
      fake.companies.clear();
      fake.options.noDataForm = 'verify0';
      const served: QccFakeCompany = {
        baseInfo: qccBaseInfo(company.uscc, { Name: company.name }),
        exceptions: company.abnormalOperations.map(wireEntry),
        seriousIllegal: company.seriousViolations.map(wireEntry),
      };
      fake.companies.set(company.uscc, served);
      return Promise.resolve();
    },
    useNoDataForm: (form) => {
      fake.options.noDataForm = form === '201' ? '201' : 'verify0';
    },
    answerRegistrationAs: (uscc, creditCode) => {
      const company = fake.companies.get(uscc);
      if (company === undefined) throw new Error(`${uscc} is not served`);
      company.baseInfo = { ...company.baseInfo, CreditCode: creditCode };
      return Promise.resolve();
    },
    fail: (section, failure, page = 1) => {
      // The fake matches overrides on path and query; `pageIndex=N&` names one page.
      fake.override({ ...overrideFor(failure), path: page === 1 ? PATHS[section] : `pageIndex=${page}&` });
      return Promise.resolve();
    },
    calls: (section) => Promise.resolve(fake.requests.filter((r) => r.path === PATHS[section]).length),
    close: () => fake.close(),
  };
}
