/**
 * Redis loses everything (FLUSHALL) under a running worker: maintenance re-creates the sweep
 * scheduler, and a change made afterwards is detected and delivered once, with no event doubled.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE, SWEEP_SCHEDULER_ID } from '../../../src/jobs/queue-names.js';
import { testCompany, testEntries, testState } from '../../helpers/mock-provider-fixtures.js';
import { pollUntil } from '../../helpers/poll-until.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { validUscc } from '../../helpers/valid-uscc.js';
import { createWorkerHarness, customerRows, deliveryRows, eventRows, type WorkerHarness } from '../../helpers/worker-harness.js';

describe('FLUSHALL under a running worker', () => {
  let redis: RedisServer;
  let h: WorkerHarness;
  let sweepQueue: Queue;
  const A = validUscc(500);
  const B = validUscc(501);

  beforeAll(async () => {
    redis = await startRedisServer();
    // B is listed from the start: its baseline event must survive the flush undoubled.
    const companies = [testCompany(500), testCompany(501, { abnormalOperations: testEntries(1, 'AOB') })];
    h = await createWorkerHarness({ redisUrl: redis.url, state: testState(...companies), env: { CM_SCAN_INTERVAL: '2s' } });
    await h.store.repos.customers.upsertMany(companies.map((c) => ({ uscc: c.uscc, name: c.name })));
    sweepQueue = new Queue(QUEUE.sweep, { connection: { url: redis.url }, prefix: h.prefix });
  });
  afterAll(async () => {
    await sweepQueue.close();
    await h.cleanup();
    await redis.stop();
  });

  const lastChecked = (uscc: string): number => customerRows(h.store).find((c) => c.uscc === uscc)?.last_checked_at ?? 0;

  it('re-creates the scheduler and detects and delivers the next change once', { timeout: 30_000 }, async () => {
    // Every grade on CM_SCAN_INTERVAL (2 s): the listed customers are risk, whose shipped cadence is 1 h.
    // No cases: this counts the events and outbox rows of the listings and grades only.
    const policy = join(h.dir, 'policy.json');
    writeFileSync(policy, JSON.stringify({ schedule: { byGrade: {} }, cases: { openAt: null } }));
    await h.startWorker({ CM_CONFIG: policy }, { sweepEveryMs: 300, maintenanceEveryMs: 500 });
    await pollUntil(() => customerRows(h.store).every((c) => c.last_checked_at !== null), { timeoutMs: 10_000, what: 'baseline' });
    const baselineEvent = eventRows(h.store).find((e) => e.uscc === B);
    expect(baselineEvent?.type).toBe('abnormal_operations.listed');
    // The listing and B's first grade (risk) are told.
    await expect.poll(() => deliveryRows(h.store).map((d) => d.status), { timeout: 10_000 }).toEqual(['sent', 'sent']);

    await redis.flushAll();
    await expect.poll(() => sweepQueue.getJobScheduler(SWEEP_SCHEDULER_ID), { timeout: 10_000 }).toBeDefined();

    const flushedAt = Date.now();
    await h.control.addEntry(A, 'abnormal-operations', {
      id: 'AO-after-flush',
      listedOn: '2026-11-20',
      reason: '通过登记的住所或者经营场所无法联系的',
      authority: '深圳市市场监督管理局',
    });
    // Due again every 2 s: the re-created schedule finds it without any manual rescan.
    const event = await pollUntil(
      () => eventRows(h.store).find((e) => e.uscc === A && e.type === 'abnormal_operations.listed'),
      { timeoutMs: 15_000, intervalMs: 50, what: 'the change detected after the flush' },
    );
    expect(event.baseline).toBe(0);
    await expect
      .poll(() => deliveryRows(h.store).filter((d) => d.event_id === event.id).map((d) => d.status), { timeout: 10_000 })
      .toEqual(['sent']);

    // Two more scheduled checks of both customers after the detection: nothing is recorded twice.
    const detectedCheck = lastChecked(A);
    await pollUntil(() => lastChecked(A) > detectedCheck + 2_000 && lastChecked(B) > flushedAt + 2_000, {
      timeoutMs: 15_000,
      intervalMs: 100,
      what: 'later scheduled checks',
    });
    const events = eventRows(h.store);
    expect(events.map((e) => [e.uscc, e.type]).sort()).toEqual([
      [A, 'abnormal_operations.listed'],
      [A, 'grade.changed'],
      [B, 'abnormal_operations.listed'],
      [B, 'grade.changed'],
    ]);
    const deliveries = deliveryRows(h.store);
    expect(deliveries).toHaveLength(4);
    expect(deliveries.every((d) => d.status === 'sent')).toBe(true);
  });
});
