/**
 * The mock adapter over the mock provider server, with its own fault injection for every failure;
 * a forwarding proxy in front of it serves the one answer the server cannot be made to give (a
 * registration naming another code, or none).
 */
import { MockProvider } from '../../../../src/providers/mock/mock-provider.js';
import { startMockProviderServer } from '../../../../src/providers/mock/server.js';
import { mockProviderControl, type FaultRequest } from '../../../helpers/mock-provider-control.js';
import { startOverridingProxy } from '../../../helpers/overriding-proxy.js';
import type { ProviderRig, RigCompany, RigEntry, RigFailure } from './provider-rig.js';

const FAULTS: Record<RigFailure, Omit<FaultRequest, 'section'>> = {
  auth: { kind: 'auth' },
  quota: { kind: 'quota' },
  // The business code 429 in an HTTP 200, without Retry-After.
  rate_limited: { kind: 'rate_limit', httpStatus: 200 },
  rate_limited_for_7s: { kind: 'rate_limit', retryAfterSeconds: 7 },
  transient: { kind: '5xx' },
  bad_schema: { kind: 'bad_schema' },
  malformed: { kind: 'malformed' },
  oversize: { kind: 'oversize', bytes: 64 * 1024 },
};

function wireEntry(entry: RigEntry, index: number) {
  return { id: `E-${index + 1}`, ...entry, removedOn: null, removalReason: null };
}

export async function startMockRig(): Promise<ProviderRig> {
  const server = await startMockProviderServer({ state: { companies: [] } });
  const proxy = await startOverridingProxy(server.url);
  const control = mockProviderControl(server);
  return {
    provider: (http) => new MockProvider({ baseUrl: proxy.url, http, sections: { administrativePenalties: true, dishonestDebtors: true, annualReports: false } }),
    serve: async (company: RigCompany) => {
      proxy.clear();
      await control.clearFaults();
      await control.call('PUT', 'state', {
        companies: [
          {
            uscc: company.uscc,
            name: company.name,
            status: '存续',
            legalPerson: '张三',
            regCapital: '1000万人民币',
            establishedOn: '2010-01-01',
            abnormalOperations: company.abnormalOperations.map(wireEntry),
            seriousViolations: company.seriousViolations.map(wireEntry),
          },
        ],
      });
      await control.resetStats();
    },
    useNoDataForm: () => undefined,
    answerRegistrationAs: (uscc, creditCode) => {
      const data = { creditCode, name: '示例科技有限公司', status: '存续', legalPerson: '张三', regCapital: '1000万人民币', establishedOn: '2010-01-01' };
      proxy.override({ path: `/v1/companies/${uscc}/registration`, body: { code: 0, data } });
      return Promise.resolve();
    },
    fail: async (section, failure, page = 1) => {
      // Faults are used up in the order added: normal answers (latency 0) for the pages before.
      if (page > 1) await control.addFault({ kind: 'latency', latencyMs: 0, section, times: page - 1 });
      await control.addFault({ ...FAULTS[failure], section, times: 1 });
    },
    calls: async (section) => (await control.stats()).byKind[section],
    close: async () => {
      await proxy.close();
      await server.close();
    },
  };
}
