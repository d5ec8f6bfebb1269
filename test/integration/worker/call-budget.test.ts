/**
 * Provider calls are counted per provider, section and Asia/Shanghai day in Redis; once the daily
 * budget is spent, scheduled checks and the checks of a fan-out re-scan wait for the next day (said
 * once in the log) while a single-customer re-scan and a forced fan-out (`rescan --force`) still run.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDay } from '../../../src/domain/dates.js';
import { callsPerCheck, requestRescans } from '../../../src/app/request-rescan.js';
import { endOfShanghaiDay } from '../../../src/jobs/call-budget.js';
import { readProviderCalls } from '../../../src/jobs/provider-call-counter.js';
import { QUEUE } from '../../../src/jobs/queue-names.js';
import { createLogger } from '../../../src/logger.js';
import { startWorker, type RunningWorker } from '../../../src/main.js';
import { openQueueClient } from '../../../src/wiring/open-queue-client.js';
import { captureLogs } from '../../helpers/log-capture.js';
import { testCompany, testState } from '../../helpers/mock-provider-fixtures.js';
import { pollUntil } from '../../helpers/poll-until.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { createWorkerHarness, customerRows, type WorkerHarness } from '../../helpers/worker-harness.js';

const COMPANIES = [testCompany(600), testCompany(601), testCompany(602), testCompany(603)];
/** The mock answers each section in one page: 3 calls per check, so the budget covers two checks. */
const BUDGET = 6;
const BUDGET_NOTICE = 'daily provider call budget spent';

describe('daily provider call budget', () => {
  let redis: RedisServer;
  let client: Redis;
  let h: WorkerHarness;
  let queue: Queue;
  let worker: RunningWorker;
  let configPath: string;
  const logs = captureLogs();

  const calls = () => readProviderCalls(client, h.prefix, 'mock', Date.now());
  const checked = () => customerRows(h.store).filter((c) => c.last_checked_at !== null);

  beforeAll(async () => {
    redis = await startRedisServer();
    client = new Redis(redis.url);
    h = await createWorkerHarness({ redisUrl: redis.url, state: testState(...COMPANIES) });
    configPath = join(h.dir, 'budget.json');
    writeFileSync(configPath, JSON.stringify({ provider: { dailyCallBudget: BUDGET } }));
    await h.store.repos.customers.upsertMany(COMPANIES.map((c) => ({ uscc: c.uscc, name: c.name })));
    queue = new Queue(QUEUE.scan, { connection: { url: redis.url }, prefix: h.prefix });
    // One check at a time, so that the budget is met exactly rather than overshot by parallel checks.
    worker = await startWorker(h.config({ CM_CONFIG: configPath }), logs.logger, {
      concurrency: 1,
      sweepEveryMs: 200,
      maintenanceEveryMs: 200,
      httpPort: 'ephemeral',
    });
  });
  afterAll(async () => {
    await worker.close(true);
    await queue.close();
    client.disconnect();
    await h.cleanup();
    await redis.stop();
  });

  it('counts calls per section and defers the remaining scheduled checks to the next Shanghai day', { timeout: 30_000 }, async () => {
    await pollUntil(async () => (await queue.getJobCounts('delayed')).delayed === COMPANIES.length - 2, {
      timeoutMs: 10_000,
      what: 'two scheduled checks deferred',
    });
    expect(checked()).toHaveLength(2);
    const today = await calls();
    expect(today).toEqual({
      day: shanghaiDay(Date.now()),
      provider: 'mock',
      total: BUDGET,
      bySection: { registration: 2, abnormalOperations: 2, seriousViolations: 2 },
    });
    expect(h.mock.stats().byStatus['200']).toBe(BUDGET);

    // Deferred to the next Asia/Shanghai midnight, without using an attempt.
    const until = endOfShanghaiDay(today.day);
    for (const job of await queue.getJobs(['delayed'])) {
      expect(job.attemptsMade).toBe(0);
      expect(Math.abs(Date.now() + job.delay - until)).toBeLessThan(60_000);
    }

    // Several more sweep ticks find the budget spent: still nothing enqueued, still one notice.
    const sweepAt = async () => Number(await h.store.repos.meta.get('last_sweep_at'));
    const firstTick = await sweepAt();
    await pollUntil(async () => (await sweepAt()) > firstTick + 600, { timeoutMs: 5_000, what: 'three more sweep ticks' });
    expect((await calls()).total).toBe(BUDGET);
    expect(logs.matching(BUDGET_NOTICE)).toHaveLength(1);
    expect(logs.matching(BUDGET_NOTICE)[0]).toMatchObject({ level: 40, budget: BUDGET, calls: BUDGET });

    const metrics = await (await fetch(`${worker.healthUrl ?? ''}/metrics`)).text();
    expect(metrics).toMatch(/^credit_monitor_provider_calls_today\{provider="mock",section="registration"\} 2$/m);
    expect(metrics).toMatch(/^credit_monitor_provider_daily_call_budget\{provider="mock"\} 6$/m);
  });

  it('a single re-scan runs past the budget; a fan-out waits for the next day unless forced', { timeout: 30_000 }, async () => {
    const unchecked = customerRows(h.store).find((c) => c.last_checked_at === null);
    expect(unchecked).toBeDefined();
    const single = await queue.add('rescan', { uscc: unchecked?.uscc ?? '' });
    await expect.poll(() => single.getState(), { timeout: 10_000 }).toBe('completed');
    expect((await calls()).total).toBe(BUDGET + 3);

    // The public {all: true}, straight on the queue: honoured (one check job per customer, ahead of
    // scheduled work), but its checks wait for the next Shanghai day like scheduled ones.
    const delayedBefore = (await queue.getJobCounts('delayed')).delayed ?? 0;
    const fanOut = await queue.add('rescan', { all: true });
    await expect.poll(() => fanOut.getState(), { timeout: 10_000 }).toBe('completed');
    await pollUntil(async () => (await queue.getJobCounts('delayed')).delayed === delayedBefore + COMPANIES.length, {
      timeoutMs: 10_000,
      what: 'the fan-out checks deferred',
    });
    const until = endOfShanghaiDay((await calls()).day);
    for (const job of await queue.getJobs(['delayed'])) expect(Math.abs(Date.now() + job.delay - until)).toBeLessThan(60_000);
    expect((await calls()).total).toBe(BUDGET + 3);

    // `rescan --all --force`: recorded with force, its checks run past the budget.
    const config = h.config({ CM_CONFIG: configPath });
    const client = await openQueueClient(config, createLogger('silent'), Date.now);
    const forced = await requestRescans(
      {
        store: h.store.repos.rescanRequests,
        enqueue: (requests) => client.addRescans(requests),
        budget: { dailyCallBudget: BUDGET, usedToday: async () => (await client.providerCallsToday()).total },
        callsPerCheck: callsPerCheck(config.provider.sections),
      },
      { scopes: [{ kind: 'all' }], force: true, actor: 'cli:test', now: Date.now() },
    );
    await client.close();
    expect(forced).toMatchObject({ kind: 'queued', cost: { customers: COMPANIES.length, estimatedCalls: 3 * COMPANIES.length, remaining: 0 } });
    await pollUntil(async () => (await calls()).total === BUDGET + 3 + 3 * COMPANIES.length, { timeoutMs: 10_000, what: 'forced fan-out checks' });
    await pollUntil(() => checked().length === COMPANIES.length, { timeoutMs: 10_000, what: 'every customer checked' });
    // The deferred checks stay deferred; nothing failed.
    expect((await queue.getJobCounts('failed')).failed).toBe(0);
    expect(logs.matching(BUDGET_NOTICE)).toHaveLength(1);
  });
});
