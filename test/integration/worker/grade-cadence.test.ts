/**
 * Cadence by grade in a running worker (real Redis, real mock provider over HTTP, each store): a risk
 * customer is checked again on the risk interval (`schedule.byGrade.risk` = 2s here) while the
 * others wait for the default; under a daily call budget small enough to bind, the plan stretches the
 * intervals, the budget guard stops the onboarding burst at the budget, and `status` (the built CLI)
 * shows per grade what each got.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CadenceStatus } from '../../../src/app/cadence-status.js';
import { readProviderCalls } from '../../../src/jobs/provider-call-counter.js';
import type { MockCompany } from '../../../src/providers/mock/state.js';
import { testCompany, testEntries, testState } from '../../helpers/mock-provider-fixtures.js';
import { pollUntil } from '../../helpers/poll-until.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { cliSandbox } from '../../helpers/run-cli.js';
import { startPostgresServer, type PostgresServer } from '../../helpers/postgres-server.js';
import { STORE_DIALECTS } from '../../helpers/test-stores.js';
import { createWorkerHarness, type WorkerHarness } from '../../helpers/worker-harness.js';
import type { Store } from '../../../src/wiring/open-store.js';

const DAY = 86_400_000;
const FAST = { concurrency: 1, sweepEveryMs: 200, maintenanceEveryMs: 200, httpPort: 0 } as const;
/** The mock answers each section in one page: 3 calls per check. */
const CALLS_PER_CHECK = 3;

interface ScheduleRow {
  uscc: string;
  grade: string;
  last_checked_at: number | null;
  next_check_at: number | null;
}

describe.each(STORE_DIALECTS)('cadence by grade in the worker (%s)', (dialect) => {
  let redis: RedisServer;
  let client: Redis;
  let postgres: PostgresServer | undefined;
  let h: WorkerHarness<Store> | undefined;

  beforeAll(async () => {
    redis = await startRedisServer();
    client = new Redis(redis.url);
    if (dialect === 'postgres') postgres = await startPostgresServer();
  });
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
  });
  afterAll(async () => {
    client.disconnect();
    await redis.stop();
    await postgres?.stop();
  });

  /**
   * A harness whose policy file is `policy`; `risky` are listed at the provider (their first check
   * grades them risk), graded risk already when `pregraded` (so the plan counts them from the start).
   */
  async function harness(policy: unknown, risky: MockCompany[], others: MockCompany[], pregraded = false): Promise<WorkerHarness<Store>> {
    const state = testState(...risky, ...others);
    const made = await createWorkerHarness({ dialect, ...(postgres === undefined ? {} : { postgres }), redisUrl: redis.url, state });
    h = made;
    const configPath = join(made.dir, 'policy.json');
    writeFileSync(configPath, JSON.stringify(policy));
    await made.store.repos.customers.upsertMany([...risky, ...others].map((c) => ({ uscc: c.uscc, name: c.name })));
    // As a check that saw the listing left them (the check grades them again on every read).
    if (pregraded) for (const c of risky) await made.sql("update customers set grade = 'risk' where uscc = ?", c.uscc);
    await made.startWorker({ CM_CONFIG: configPath }, FAST);
    return made;
  }
  // Epoch-ms columns as numbers on both dialects (PostgreSQL's bigint comes back as text).
  const rows = async (made: WorkerHarness<Store>): Promise<ScheduleRow[]> =>
    (await made.sql<Record<keyof ScheduleRow, unknown>>('select uscc, grade, last_checked_at, next_check_at from customers order by id')).map((r) => ({
      uscc: String(r.uscc),
      grade: String(r.grade),
      last_checked_at: r.last_checked_at === null ? null : Number(r.last_checked_at),
      next_check_at: r.next_check_at === null ? null : Number(r.next_check_at),
    }));
  const checksOf = (made: WorkerHarness<Store>, uscc: string): number => (made.mock.stats().byUscc[uscc] ?? 0) / CALLS_PER_CHECK;

  it('a customer that turns risk in its first check is checked again on the risk interval (2 s) while the others wait for the default', { timeout: 40_000 }, async () => {
    const RISKY = testCompany(700, { abnormalOperations: testEntries(1, 'AO') });
    const CLEAN = testCompany(701);
    const made = await harness({ schedule: { byGrade: { risk: '2s' } } }, [RISKY], [CLEAN]);

    await pollUntil(() => checksOf(made, RISKY.uscc) >= 3, { timeoutMs: 30_000, what: 'three checks of the risk customer' });
    expect(checksOf(made, CLEAN.uscc)).toBe(1);
    const [risky, clean] = await rows(made);
    expect(risky?.grade).toBe('risk');
    // Due again after its interval, spread by at most a tenth of it.
    const riskGap = (risky?.next_check_at ?? 0) - (risky?.last_checked_at ?? 0);
    expect(riskGap).toBeGreaterThanOrEqual(2_000);
    expect(riskGap).toBeLessThanOrEqual(2_200);
    const cleanGap = (clean?.next_check_at ?? 0) - (clean?.last_checked_at ?? 0);
    expect(cleanGap).toBeGreaterThanOrEqual(DAY);
    expect(cleanGap).toBeLessThanOrEqual(1.1 * DAY);
  });

  it('under a budget that binds: intervals stretched, the burst stopped at the budget, status per grade', { timeout: 40_000 }, async () => {
    const BUDGET = 3 * CALLS_PER_CHECK;
    const risky = [702, 703, 704, 705, 706].map((n) => testCompany(n, { abnormalOperations: testEntries(1, `R${n}`) }));
    const made = await harness({ schedule: { byGrade: { risk: '2s' } }, provider: { dailyCallBudget: BUDGET } }, risky, [], true);
    const calls = async () => (await readProviderCalls(client, made.prefix, 'mock', Date.now())).total;
    const sweepAt = async () => Number(await made.store.repos.meta.get('last_sweep_at'));

    // Five customers due at once and a budget of three checks: three are checked, two wait for tomorrow.
    await pollUntil(async () => (await rows(made)).filter((r) => r.last_checked_at !== null).length === 3, { timeoutMs: 20_000, what: 'three checks' });
    const firstTick = await sweepAt();
    await pollUntil(async () => (await sweepAt()) > firstTick + 1_000, { timeoutMs: 10_000, what: 'five more sweep ticks' });
    expect(await calls()).toBe(BUDGET);
    expect(made.mock.stats().requestsTotal).toBe(BUDGET);

    // The plan stretched the risk interval to what the budget pays for: 5 customers × 3 calls a day
    // over 9 calls = 40 h (the guard stopped today's onboarding burst; the plan keeps the days after under it).
    const stretchedMs = (5 * CALLS_PER_CHECK * DAY) / BUDGET;
    for (const row of (await rows(made)).filter((r) => r.last_checked_at !== null)) {
      const gap = (row.next_check_at ?? 0) - (row.last_checked_at ?? 0);
      expect(gap).toBeGreaterThanOrEqual(stretchedMs);
      expect(gap).toBeLessThanOrEqual(1.1 * stretchedMs);
    }

    const cli = cliSandbox();
    const status = await cli.run(['status', '--json'], {
      CM_DB: made.cmDb,
      REDIS_URL: redis.url,
      CM_QUEUE_PREFIX: made.prefix,
      CM_CONFIG: join(made.dir, 'policy.json'),
      CM_PROVIDER: 'mock',
      CM_PROVIDER_URL: made.mock.url,
    });
    cli.cleanup();
    expect(status.code, status.stderr).toBe(0);
    const { cadence } = JSON.parse(status.stdout) as { cadence: CadenceStatus };
    expect(cadence).toMatchObject({ dailyCallBudget: BUDGET, plannedCallsPerDay: BUDGET, callsToday: BUDGET });
    expect(cadence.byGrade.risk).toEqual({
      customers: 5,
      intervalMs: stretchedMs,
      wantedIntervalMs: 2_000,
      stretched: true,
      plannedChecksPerDay: 3,
      plannedCallsPerDay: BUDGET,
      checksToday: 3,
      checkedToday: 3,
    });
    expect(cadence.byGrade.good).toMatchObject({ customers: 0, stretched: false, checksToday: 0, checkedToday: 0 });
  });
});
