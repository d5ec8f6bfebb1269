/**
 * Re-scans asked the CLI's way (recorded in the store, then queued) survive a Redis that loses them:
 * the worker puts every open request back on the queue like scheduled work and checks each covered
 * customer not checked since the request, once; a customer checked since is left alone. On both stores.
 */
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callsPerCheck, requestRescans } from '../../../src/app/request-rescan.js';
import { QUEUE } from '../../../src/jobs/queue-names.js';
import { createLogger } from '../../../src/logger.js';
import { openQueueClient } from '../../../src/wiring/open-queue-client.js';
import { testCompany, testState } from '../../helpers/mock-provider-fixtures.js';
import { pollUntil } from '../../helpers/poll-until.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { STORE_DIALECTS } from '../../helpers/test-stores.js';
import { validUscc } from '../../helpers/valid-uscc.js';
import { createWorkerHarness, readCustomers, type WorkerHarness } from '../../helpers/worker-harness.js';
import type { Store } from '../../../src/wiring/open-store.js';

const COUNT = 8;
const uscc = (n: number): string => validUscc(950 + n);
/** Customers 0-3 carry the tag "east". */
const east = (n: number): boolean => n < 4;

describe.each(STORE_DIALECTS)('durable re-scans after Redis lost them (%s)', (dialect) => {
  let redis: RedisServer;
  let h: WorkerHarness<Store>;
  let queue: Queue;

  const checksOf = (n: number): number => (h.mock.stats().byUscc[uscc(n)] ?? 0) / 3;

  beforeAll(async () => {
    redis = await startRedisServer();
    const companies = Array.from({ length: COUNT }, (_, n) => testCompany(950 + n));
    h = await createWorkerHarness({ dialect, redisUrl: redis.url, state: testState(...companies), env: { CM_SCAN_INTERVAL: '24h' } });
    await h.store.repos.customers.upsertMany(companies.map((c, n) => ({ uscc: c.uscc, name: c.name, tags: east(n) ? ['east'] : [] })));
    queue = new Queue(QUEUE.scan, { connection: { url: redis.url }, prefix: h.prefix });
  });
  afterAll(async () => {
    await queue.close();
    await h.cleanup();
    await redis.stop();
  });

  it('re-queues the open requests and checks only the customers not checked since', { timeout: 30_000 }, async () => {
    const baseline = await h.startWorker({}, { sweepEveryMs: 200, maintenanceEveryMs: 200 });
    await pollUntil(async () => (await readCustomers(h)).every((c) => c.last_checked_at !== null), { timeoutMs: 15_000, what: 'baseline' });
    await baseline.close();
    const before = Array.from({ length: COUNT }, (_, n) => checksOf(n));

    // Asked while no worker runs, exactly as `rescan --tag east` and `rescan --uscc` do.
    const config = h.config();
    const client = await openQueueClient(config, createLogger('silent'), Date.now);
    const ask = (scope: Parameters<typeof requestRescans>[1]['scopes'][number]) =>
      requestRescans(
        { store: h.store.repos.rescanRequests, enqueue: (r) => client.addRescans(r), budget: { dailyCallBudget: null, usedToday: () => Promise.resolve(0) }, callsPerCheck: callsPerCheck(config.provider.sections) },
        { scopes: [scope], force: false, actor: 'cli:test', now: Date.now() },
      );
    expect(await ask({ kind: 'tag', tag: 'east' })).toMatchObject({ kind: 'queued' });
    expect(await ask({ kind: 'uscc', uscc: uscc(6) })).toMatchObject({ kind: 'queued' });
    await client.close();
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 2 });
    // Customer 0 was checked after the request was made (as by a scheduled check): it is done.
    await h.sql('update customers set last_checked_at = ? where uscc = ?', Date.now() + 1000, uscc(0));

    await redis.flushAll();
    await h.startWorker({}, { sweepEveryMs: 200, maintenanceEveryMs: 200 });

    const extra = (): number[] => Array.from({ length: COUNT }, (_, n) => checksOf(n) - (before[n] ?? 0));
    await expect.poll(extra, { timeout: 15_000 }).toEqual([0, 1, 1, 1, 0, 0, 1, 0]);
    await pollUntil(async () => (await h.sql('select id from rescan_requests')).length === 0, { timeoutMs: 10_000, what: 'both requests cleared' });
    await expect.poll(async () => {
      const counts = await queue.getJobCounts('waiting', 'active', 'prioritized', 'delayed');
      return Object.values(counts).reduce((a, b) => a + b, 0);
    }, { timeout: 10_000 }).toBe(0);
    expect(extra()).toEqual([0, 1, 1, 1, 0, 0, 1, 0]);
  });
});
