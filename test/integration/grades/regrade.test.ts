/**
 * Re-grading without a provider call (what `figures import` runs per customer), over a real SQLite
 * file: from the latest snapshot, the entry history and the latest figures, and decided again when a
 * check of the same customer commits first.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { regradeCustomer, type RegradeDeps } from '../../../src/app/regrade-customer.js';
import type { CheckStore } from '../../../src/app/ports.js';
import { shanghaiDay } from '../../../src/domain/dates.js';
import { DEFAULT_GRADING_RULES } from '../../../src/domain/default-grading.js';
import { DEFAULT_DIGEST_TIERS, DEFAULT_IMMEDIATE_TIERS } from '../../../src/domain/routing.js';
import { NO_OPTIONAL_SECTIONS } from '../../../src/domain/sections.js';
import { DEFAULT_STRATEGIES } from '../../../src/domain/strategy.js';
import { DEFAULT_TIER_POLICY } from '../../../src/domain/tiers.js';
import type { TradingFigures } from '../../../src/domain/trading-figures.js';
import { startMockProviderServer, type MockProviderServer } from '../../../src/providers/mock/server.js';
import { sha256Hex } from '../../../src/wiring/check-deps.js';
import { openCheckHarness, type CheckHarness } from '../../helpers/check-harness.js';
import { mockProviderControl, type MockProviderControl } from '../../helpers/mock-provider-control.js';
import { testCompany, testState } from '../../helpers/mock-provider-fixtures.js';
import { validUscc } from '../../helpers/valid-uscc.js';

const USCC = validUscc(651);
const AS_OF = shanghaiDay(Date.now() - 10 * 86_400_000);
const figures = (onTime: number): TradingFigures => ({ asOf: AS_OF, onTimePaymentRate: onTime, fulfilmentRate: 99, overdueAmount: null, creditLimit: null });
const LISTING = { id: 'AO-651', listedOn: '2026-11-20', reason: '通过登记的住所或者经营场所无法联系的', authority: '深圳市市场监督管理局' };

let server: MockProviderServer;
let control: MockProviderControl;
let h: CheckHarness;

beforeAll(async () => {
  server = await startMockProviderServer({ state: testState(testCompany(651)) });
  control = mockProviderControl(server);
});
afterEach(async () => {
  await h.close();
  await control.reset();
});
afterAll(async () => {
  await server.close();
});

function deps(store: CheckStore): RegradeDeps {
  return {
    store,
    hash: sha256Hex,
    clock: Date.now,
    policy: DEFAULT_TIER_POLICY,
    routing: { webhooks: ['default'], email: { to: [], immediateTiers: [...DEFAULT_IMMEDIATE_TIERS], digestTiers: [...DEFAULT_DIGEST_TIERS] }, log: false },
    grading: { rules: DEFAULT_GRADING_RULES, strategies: DEFAULT_STRATEGIES, enabledSections: NO_OPTIONAL_SECTIONS },
    // No cases: these tests count the re-grade's own events (cases are tested in integration/cases/).
    cases: { openAt: null, deadlines: () => { throw new Error('no case opens in these tests'); } },
    escalationTo: [],
  };
}

async function openChecked(): Promise<CheckHarness> {
  h = await openCheckHarness(server.url);
  await h.store.repos.customers.add({ uscc: USCC, name: '重评样例有限公司' });
  await h.store.repos.figures.upsertMany([{ uscc: USCC, figures: figures(97) }], Date.now());
  await h.check(USCC);
  return h;
}

const history = () => (h.store.handle.sqlite.prepare('SELECT previous_grade || \'→\' || grade AS change FROM grade_history ORDER BY id').all() as Array<{ change: string }>).map((r) => r.change);

describe('regradeCustomer', () => {
  it('re-grades from what is stored, with the event and its outbox row in one go; once only', async () => {
    await openChecked();
    await h.store.repos.figures.upsertMany([{ uscc: USCC, figures: figures(60) }], Date.now());
    const outcome = await regradeCustomer(deps(h.store.repos.checks), USCC);
    expect(outcome).toMatchObject({ kind: 'regraded', grade: { before: 'good', after: 'fair', rule: 'fallback', decided: true } });
    if (outcome.kind !== 'regraded') throw new Error('expected a re-grade');
    expect(outcome.events.map((e) => [e.type, e.tier, e.source])).toEqual([['grade.changed', 'medium', 'erp']]);
    expect(h.deliveryRows()).toEqual([{ event_id: outcome.events[0]!.id, channel: 'webhook', target: 'default', status: 'pending' }]);
    expect(history()).toEqual(['unrated→good', 'good→fair']);

    const again = await regradeCustomer(deps(h.store.repos.checks), USCC);
    expect(again).toMatchObject({ kind: 'regraded', grade: { before: 'fair', after: 'fair' }, events: [] });
    expect(h.eventRows()).toHaveLength(1);
    expect(await regradeCustomer(deps(h.store.repos.checks), validUscc(652))).toEqual({ kind: 'unknown_customer', uscc: validUscc(652) });
  });

  it('decides again when a check of the customer commits first, from what that check stored', async () => {
    await openChecked();
    await control.addEntry(USCC, 'abnormal-operations', LISTING);
    await h.store.repos.figures.upsertMany([{ uscc: USCC, figures: figures(60) }], Date.now());
    const real = h.store.repos.checks;
    let raced = false;
    // The check reads the listing and commits between the re-grade's reads and its write.
    const racing: CheckStore = {
      ...real,
      recordGrade: async (input) => {
        if (!raced) {
          raced = true;
          await h.check(USCC);
        }
        return real.recordGrade(input);
      },
    };
    const outcome = await regradeCustomer(deps(racing), USCC);
    expect(raced).toBe(true);
    // Decided again from the check's snapshot: risk, which the check already stored and told.
    expect(outcome).toMatchObject({ kind: 'regraded', grade: { before: 'risk', after: 'risk' }, events: [] });
    // (and the case the listing opened: nothing of the re-grade's)
    expect(h.eventRows().map((e) => e.type)).toEqual(['abnormal_operations.listed', 'grade.changed', 'case.opened']);
    expect(history()).toEqual(['unrated→good', 'good→risk']);
  });

  it('leaves a customer never checked unrated', async () => {
    h = await openCheckHarness(server.url);
    await h.store.repos.customers.add({ uscc: USCC, name: '重评样例有限公司' });
    await h.store.repos.figures.upsertMany([{ uscc: USCC, figures: figures(99) }], Date.now());
    expect(await regradeCustomer(deps(h.store.repos.checks), USCC)).toMatchObject({ kind: 'regraded', grade: { before: 'unrated', after: 'unrated', decided: false }, events: [] });
  });
});
