/**
 * One core scenario, driven through checkCustomer (real SQLite, real wiring from main.ts) on each
 * provider: the mock provider, and the 天眼查 and 企查查 adapters against their fakes. The events
 * must be identical: the adapters own every wire quirk, the core sees the same facts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startMockProviderServer } from '../../../src/providers/mock/server.js';
import { openCheckHarness } from '../../helpers/check-harness.js';
import { mockProviderControl } from '../../helpers/mock-provider-control.js';
import { qccBaseInfo, startQichachaFake } from '../../helpers/qichacha-fake.js';
import { beijingMidnightMs, startTianyanchaFake, tycBaseInfo } from '../../helpers/tianyancha-fake.js';
import { validUscc } from '../../helpers/valid-uscc.js';

const USCC = validUscc(701);

interface Entry { listedOn: string; reason: string; authority: string; removedOn?: string; removalReason?: string }
interface State { status: string; legalPerson: string; abnormal: Entry[]; serious: Entry[] }

const AO: Entry = { listedOn: '2025-01-01', reason: '未按照规定报送年度报告', authority: '深圳市市场监督管理局' };
const SV: Entry = { listedOn: '2025-03-01', reason: '被列入经营异常名录届满3年仍未履行相关义务的', authority: '广东省市场监督管理局' };
const BASE: State = { status: '存续', legalPerson: '张三', abnormal: [], serious: [] };

const STEPS: Array<{ name: string; state: State; types: string[] }> = [
  { name: 'baseline', state: BASE, types: [] },
  // Its grade falls from 一般 (no figures) to 风险 in the same check; it stays risk after.
  { name: 'enters the abnormal list', state: { ...BASE, abnormal: [AO] }, types: ['abnormal_operations.listed', 'grade.changed'] },
  { name: 'enters the serious-violation list', state: { ...BASE, abnormal: [AO], serious: [SV] }, types: ['serious_violation.listed'] },
  { name: 'revoked', state: { ...BASE, status: '吊销，未注销', abnormal: [AO], serious: [SV] }, types: ['registration.status_changed'] },
  { name: 'legal representative changes', state: { ...BASE, status: '吊销，未注销', legalPerson: '李四', abnormal: [AO], serious: [SV] }, types: ['registration.legal_representative_changed'] },
  {
    name: 'removed from the abnormal list',
    state: { ...BASE, status: '吊销，未注销', legalPerson: '李四', abnormal: [{ ...AO, removedOn: '2025-01-01', removalReason: '已补报' }], serious: [SV] },
    types: ['abnormal_operations.removed'],
  },
];

interface Driver { url: string; env: Record<string, string>; apply(state: State): Promise<void>; close(): Promise<void> }

const DRIVERS: Record<string, () => Promise<Driver>> = {
  mock: async () => {
    const server = await startMockProviderServer({ state: { companies: [] } });
    const control = mockProviderControl(server);
    const entry = (e: Entry) => ({ listedOn: e.listedOn, reason: e.reason, authority: e.authority, removedOn: e.removedOn ?? null, removalReason: e.removalReason ?? null });
    return {
      url: server.url,
      env: {},
      apply: async (s) => {
        await control.call('PUT', 'state', {
          companies: [{ uscc: USCC, name: '示例科技有限公司', status: s.status, legalPerson: s.legalPerson, regCapital: '1000万人民币', establishedOn: '2010-01-01', abnormalOperations: s.abnormal.map(entry), seriousViolations: s.serious.map(entry) }],
        });
      },
      close: () => server.close(),
    };
  },
  tianyancha: async () => {
    const fake = await startTianyanchaFake();
    return {
      url: fake.url,
      env: { CM_PROVIDER: 'tianyancha', CM_TIANYANCHA_TOKEN: fake.token },
      apply: (s) => {
        fake.companies.set(USCC, {
          baseInfo: tycBaseInfo(USCC, { regStatus: s.status, legalPersonName: s.legalPerson }),
          // The abnormal list dates are text, the illegal list dates epoch ms: as the provider sends them.
          abnormal: s.abnormal.map((e) => ({ putDate: e.listedOn, putReason: e.reason, putDepartment: e.authority, removeDate: e.removedOn ?? '', removeReason: e.removalReason ?? '', removeDepartment: '' })),
          illegal: s.serious.map((e) => ({ putDate: beijingMidnightMs(e.listedOn), putReason: e.reason, putDepartment: e.authority, removeDate: e.removedOn === undefined ? null : beijingMidnightMs(e.removedOn), removeReason: e.removalReason ?? '', removeDepartment: '' })),
        });
        return Promise.resolve();
      },
      close: () => fake.close(),
    };
  },
  qichacha: async () => {
    const fake = await startQichachaFake();
    return {
      url: fake.url,
      env: { CM_PROVIDER: 'qichacha', CM_QICHACHA_KEY: fake.key, CM_QICHACHA_SECRET: fake.secret },
      apply: (s) => {
        fake.companies.set(USCC, {
          baseInfo: qccBaseInfo(USCC, { Status: s.status, OperName: s.legalPerson }),
          exceptions: s.abnormal.map((e) => ({ AddDate: e.listedOn, AddReason: e.reason, DecisionOffice: e.authority, RemoveDate: e.removedOn ?? '', RomoveReason: e.removalReason ?? '', RemoveDecisionOffice: '' })),
          seriousIllegal: s.serious.map((e) => ({ Type: '', AddDate: `${e.listedOn} 00:00:00`, AddReason: e.reason, AddOffice: e.authority, RemoveDate: e.removedOn ?? '', RemoveReason: e.removalReason ?? '', RemoveOffice: '' })),
        });
        return Promise.resolve();
      },
      close: () => fake.close(),
    };
  },
};

const results: Record<string, string[][]> = {};

describe.each(Object.keys(DRIVERS))('%s', (name) => {
  it('runs the core scenario', async () => {
    const driver = await DRIVERS[name]!();
    const harness = await openCheckHarness(driver.url, driver.env);
    try {
      await harness.store.repos.customers.add({ uscc: USCC, name: '示例科技有限公司' });
      results[name] = [];
      for (const step of STEPS) {
        await driver.apply(step.state);
        const outcome = await harness.check(USCC);
        expect(outcome.failedSections, `${name}: ${step.name}`).toEqual([]);
        const types = outcome.events.map((e) => e.type).sort();
        results[name].push(types);
        expect(types, `${name}: ${step.name}`).toEqual(step.types);
      }
    } finally {
      await harness.close();
      await driver.close();
    }
  });
});

afterAll(() => {
  // The same events, step by step, on every provider that ran.
  const runs = Object.values(results);
  for (const run of runs) expect(run).toEqual(runs[0]);
});
