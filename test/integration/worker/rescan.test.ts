/**
 * The public manual re-scan contract: any BullMQ client adds a `rescan` job to `scan` under
 * CM_QUEUE_PREFIX, and the change is detected and delivered without waiting for the schedule. On both stores.
 */
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE } from '../../../src/jobs/queue-names.js';
import { testCompany, testState } from '../../helpers/mock-provider-fixtures.js';
import { pollUntil } from '../../helpers/poll-until.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { STORE_DIALECTS } from '../../helpers/test-stores.js';
import { validUscc } from '../../helpers/valid-uscc.js';
import { createWorkerHarness, readCustomers, readDeliveries, readEvents, type WorkerHarness } from '../../helpers/worker-harness.js';
import type { Store } from '../../../src/wiring/open-store.js';

const COUNT = 6;
const uscc = (n: number): string => validUscc(100 + n);
/** Customers 0-2 carry the tag "vip". */
const tagged = (n: number): boolean => n < 3;

describe.each(STORE_DIALECTS)('rescan jobs from an external BullMQ client (%s)', (dialect) => {
  let redis: RedisServer;
  let h: WorkerHarness<Store>;
  let queue: Queue;

  const checksOf = (n: number): number => (h.mock.stats().byUscc[uscc(n)] ?? 0) / 3;

  beforeAll(async () => {
    redis = await startRedisServer();
    const companies = Array.from({ length: COUNT }, (_, n) => testCompany(100 + n));
    h = await createWorkerHarness({ dialect, redisUrl: redis.url, state: testState(...companies), env: { CM_SCAN_INTERVAL: '24h' } });
    await h.store.repos.customers.upsertMany(
      companies.map((c, n) => ({ uscc: c.uscc, name: c.name, tags: tagged(n) ? ['vip'] : [] })),
    );
    // As any client would: its own connection, only the prefix in common.
    queue = new Queue(QUEUE.scan, { connection: { url: redis.url }, prefix: h.prefix });
    await h.startWorker({}, { sweepEveryMs: 200, maintenanceEveryMs: 200 });
    await pollUntil(async () => (await readCustomers(h)).every((c) => c.last_checked_at !== null), {
      timeoutMs: 15_000,
      what: 'baseline of every customer',
    });
  });
  afterAll(async () => {
    await queue.close();
    await h.cleanup();
    await redis.stop();
  });

  it('{uscc}: detects a new abnormal-operations entry and delivers it through the log channel', async () => {
    await h.control.addEntry(uscc(0), 'abnormal-operations', {
      id: 'AO-new',
      listedOn: '2026-11-20',
      reason: '通过登记的住所或者经营场所无法联系的',
      authority: '深圳市市场监督管理局',
    });
    expect((await readEvents(h)).filter((e) => e.type === 'abnormal_operations.listed')).toEqual([]);

    await queue.add('rescan', { uscc: uscc(0) });

    const event = await pollUntil(
      async () => (await readEvents(h)).find((e) => e.uscc === uscc(0) && e.type === 'abnormal_operations.listed'),
      { timeoutMs: 10_000, what: 'abnormal_operations.listed stored' },
    );
    expect(event.baseline).toBe(0);
    await expect
      .poll(async () => (await readDeliveries(h)).filter((d) => d.event_id === event.id).map((d) => [d.channel, d.status]), { timeout: 10_000 })
      .toEqual([['log', 'sent']]);
    expect((await readEvents(h)).filter((e) => e.type === 'abnormal_operations.listed')).toHaveLength(1);
    expect(checksOf(0)).toBe(2);
    expect(checksOf(1)).toBe(1);
  });

  it('{all: true} fans out to every customer', async () => {
    const before = Array.from({ length: COUNT }, (_, n) => checksOf(n));
    await queue.add('rescan', { all: true });
    await expect
      .poll(() => Array.from({ length: COUNT }, (_, n) => checksOf(n) - (before[n] ?? 0)), { timeout: 15_000 })
      .toEqual(Array.from({ length: COUNT }, () => 1));
  });

  it('{tag} fans out to the tagged customers only', async () => {
    const before = Array.from({ length: COUNT }, (_, n) => checksOf(n));
    await queue.add('rescan', { tag: 'vip' });
    await expect
      .poll(() => Array.from({ length: COUNT }, (_, n) => checksOf(n) - (before[n] ?? 0)).slice(0, 3), { timeout: 15_000 })
      .toEqual([1, 1, 1]);
    // The others stay unchecked: wait until the queue is drained, then look.
    await expect.poll(async () => {
      const counts = await queue.getJobCounts('waiting', 'active', 'prioritized', 'delayed');
      return Object.values(counts).reduce((a, b) => a + b, 0);
    }, { timeout: 10_000 }).toBe(0);
    expect(Array.from({ length: COUNT }, (_, n) => checksOf(n) - (before[n] ?? 0))).toEqual([1, 1, 1, 0, 0, 0]);
    // No event doubled by all the re-scans.
    expect((await readEvents(h)).filter((e) => e.type === 'abnormal_operations.listed')).toHaveLength(1);
  });
});
