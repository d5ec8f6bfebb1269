/**
 * The abnormal-operations listing clock on both stores, with an injected clock: an entry nearing its
 * third year raises `abnormal_operations.escalation_due` once, from the check that sees it in its
 * window or from the daily pass over stored snapshots (no provider call), whichever comes first;
 * the pass runs once a day across workers; a removed entry raises nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCustomer } from '../../../src/app/check-customer.js';
import { runListingClockPass, type ClockPassDeps } from '../../../src/app/listing-clock-pass.js';
import { loadConfig, type Config } from '../../../src/config/load-config.js';
import { createLogger } from '../../../src/logger.js';
import { openProvider } from '../../../src/main.js';
import { startMockProviderServer, type MockProviderServer } from '../../../src/providers/mock/server.js';
import { createCheckDeps, createClockPassDeps } from '../../../src/wiring/check-deps.js';
import type { Store } from '../../../src/wiring/open-store.js';
import { testCompany, testState } from '../../helpers/mock-provider-fixtures.js';
import { STORE_DIALECTS, useTestStores, type TestStore } from '../../helpers/test-stores.js';

// Listed 2024-02-29: three years on 2027-02-28, the warning window (60 days) opens 2026-12-30.
const OLD = { id: 'AO-OLD', listedOn: '2024-02-29', reason: '未依照《企业信息公示暂行条例》第八条规定的期限公示年度报告的', authority: '上海市市场监督管理局', removedOn: null, removalReason: null };
const WEEKLY = testCompany(1321, { abnormalOperations: [OLD] });
const CURED = testCompany(1322, { abnormalOperations: [{ ...OLD, id: 'AO-CURED', removedOn: '2026-12-29', removalReason: '已补报年度报告' }] });
const CHECKED = testCompany(1323, { abnormalOperations: [{ ...OLD, id: 'AO-CHECKED' }] });
const at = (iso: string): number => Date.parse(iso);

describe.each(STORE_DIALECTS)('the listing clock on %s', (dialect) => {
  const stores = useTestStores(dialect);
  let server: MockProviderServer;
  let dir: string;

  beforeAll(async () => {
    server = await startMockProviderServer({ state: testState(WEEKLY, CURED, CHECKED) });
    dir = mkdtempSync(join(tmpdir(), 'cm-clock-'));
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function configFor(t: TestStore): Config {
    const policy = join(dir, `policy-${dialect}.json`);
    writeFileSync(policy, JSON.stringify({ schedule: { byGrade: {} }, calendar: { overridesFile: null } }));
    return loadConfig({ CM_DB: t.cmDb, CM_CONFIG: policy, CM_PROVIDER: 'mock', CM_PROVIDER_URL: server.url }, process.cwd());
  }

  function passDeps(config: Config, store: Store, clock: () => number): ClockPassDeps {
    // Pages of 2: the pass walks several pages.
    return { ...createClockPassDeps(config, store, clock), pageSize: 2 };
  }

  it('raises escalation_due once per entry, from the daily pass or a check, and never for a removed entry', async () => {
    const t = await stores.open();
    const config = configFor(t);
    let now = at('2026-12-01T02:00:00Z');
    const clock = (): number => now;
    const provider = await openProvider(config, createLogger('silent'));
    try {
      for (const c of [WEEKLY, CURED, CHECKED]) await t.repos.customers.add({ uscc: c.uscc, name: c.name });
      const check = createCheckDeps(config, t.store, provider.provider, clock);
      for (const c of [WEEKLY, CURED, CHECKED]) expect((await checkCustomer(check, c.uscc, AbortSignal.timeout(10_000))).kind).toBe('checked');
      const dueEvents = async (): Promise<Array<{ uscc: string; escalatesOn: string | undefined; caseId?: string }>> =>
        (await t.repos.events.query({ limit: 100 }))
          .filter((e) => e.type === 'abnormal_operations.escalation_due')
          .map((e) => ({ uscc: e.customer.uscc, escalatesOn: e.escalatesOn, ...(e.caseId === undefined ? {} : { caseId: e.caseId }) }));

      // Before the window: nothing, from the pass either.
      expect(await runListingClockPass(passDeps(config, t.store, clock))).toMatchObject({ kind: 'ran', raised: 0 });
      expect(await dueEvents()).toEqual([]);
      const requests = server.stats().requestsTotal;

      // 2026-12-30 (Shanghai): the window opens. One customer is checked that day and raises it itself.
      now = at('2026-12-30T01:00:00Z');
      const checked = await checkCustomer(check, CHECKED.uscc, AbortSignal.timeout(10_000));
      if (checked.kind !== 'checked') throw new Error(checked.kind);
      expect(checked.events.map((e) => e.type)).toEqual(['abnormal_operations.escalation_due']);
      const afterCheck = server.stats().requestsTotal;

      // The day's pass raises the others' from stored data (no provider call); the removed one is quiet.
      const pass = await runListingClockPass(passDeps(config, t.store, clock));
      expect(pass).toMatchObject({ kind: 'ran', day: '2026-12-30', customers: 3, raised: 1 });
      expect(server.stats().requestsTotal).toBe(afterCheck);
      expect(afterCheck - requests).toBeGreaterThan(0);
      // Once a day across the fleet.
      expect(await runListingClockPass(passDeps(config, t.store, clock))).toEqual({ kind: 'already_run', day: '2026-12-30' });

      // The next days, and more checks: still one per entry.
      now = at('2026-12-31T01:00:00Z');
      expect(await runListingClockPass(passDeps(config, t.store, clock))).toMatchObject({ kind: 'ran', raised: 0 });
      for (const c of [WEEKLY, CHECKED]) {
        const again = await checkCustomer(check, c.uscc, AbortSignal.timeout(10_000));
        expect(again.kind === 'checked' ? again.events : undefined).toEqual([]);
      }
      const due = await dueEvents();
      expect(due.map((e) => e.uscc).sort()).toEqual([WEEKLY.uscc, CHECKED.uscc].sort());
      expect(due.every((e) => e.escalatesOn === '2027-02-28')).toBe(true);
      // Each one belongs to a case (high, at or above cases.openAt), and its webhook rows are in the outbox once.
      expect(due.every((e) => e.caseId !== undefined)).toBe(true);
      const rows = await t.sql<{ n: number }>(
        "select count(*) as n from deliveries d join events e on e.id = d.event_id where e.type = 'abnormal_operations.escalation_due'",
      );
      expect(Number(rows[0]?.n)).toBe(2 * check.routing.webhooks.length + (check.routing.log ? 2 : 0));
    } finally {
      await provider.provider.close();
    }
  });
});
