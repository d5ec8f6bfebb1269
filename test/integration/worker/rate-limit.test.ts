/**
 * CM_PROVIDER_RATE holds across workers over any sliding second, and a provider's rate-limit answer
 * pauses the queue without using up an attempt or recording anything.
 */
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE } from '../../../src/jobs/queue-names.js';
import { testCompany, testState } from '../../helpers/mock-provider-fixtures.js';
import { pollUntil } from '../../helpers/poll-until.js';
import { maxInWindow, startRecordingProxy, tightestSpan } from '../../helpers/recording-proxy.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { validUscc } from '../../helpers/valid-uscc.js';
import { createWorkerHarness, customerRows, eventRows } from '../../helpers/worker-harness.js';

describe('provider rate limits', () => {
  let redis: RedisServer;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await redis.stop();
  });

  it('CM_PROVIDER_RATE=5: no sliding second holds more than 5 provider requests, across two workers', { timeout: 40_000 }, async () => {
    const COUNT = 20;
    const companies = Array.from({ length: COUNT }, (_, n) => testCompany(200 + n));
    const h = await createWorkerHarness({ redisUrl: redis.url, state: testState(...companies), env: { CM_PROVIDER_RATE: '5' } });
    cleanups.push(() => h.cleanup());
    // The workers talk to the mock through a proxy that records each request's arrival time.
    const proxy = await startRecordingProxy(h.mock.url);
    cleanups.push(() => proxy.close());
    await h.store.repos.customers.upsertMany(companies.map((c) => ({ uscc: c.uscc, name: c.name })));

    const options = { concurrency: 4, sweepEveryMs: 500, maintenanceEveryMs: 500 };
    await h.startWorker({ CM_PROVIDER_URL: proxy.url }, options);
    await h.startWorker({ CM_PROVIDER_URL: proxy.url }, options);

    // 60 requests at 5/s: about 12 s.
    await pollUntil(() => customerRows(h.store).every((c) => c.last_checked_at !== null), {
      timeoutMs: 30_000,
      intervalMs: 100,
      what: 'every customer checked',
    });
    const times = proxy.requests.filter((r) => !r.path.startsWith('/_control/')).map((r) => r.at);
    expect(times.length).toBe(COUNT * 3);
    // Any 6 consecutive requests must span a full second. Arrival times at the proxy carry some
    // jitter relative to the limiter's admission times in Redis (a new TCP connection, a busy event
    // loop on two cores), so allow 100 ms; a broken limiter shows spans far shorter than that.
    expect(tightestSpan(times, 6), 'shortest span of 6 requests (ms)').toBeGreaterThanOrEqual(900);
    // And the rate was actually used: not trivially slow.
    expect(maxInWindow(times, 1100)).toBeGreaterThanOrEqual(4);
  });

  it('a rate-limited answer pauses the queue without using an attempt or recording a failure', { timeout: 30_000 }, async () => {
    const companies = [testCompany(300), testCompany(301)];
    const h = await createWorkerHarness({ redisUrl: redis.url, state: testState(...companies), env: { CM_RATE_LIMIT_PAUSE: '10s' } });
    cleanups.push(() => h.cleanup());
    await h.store.repos.customers.upsertMany(companies.map((c) => ({ uscc: c.uscc, name: c.name })));
    const queue = new Queue(QUEUE.scan, { connection: { url: redis.url }, prefix: h.prefix });
    cleanups.push(() => queue.close());
    await h.startWorker({}, { sweepEveryMs: 200, maintenanceEveryMs: 200 });
    await pollUntil(() => customerRows(h.store).every((c) => c.last_checked_at !== null), { timeoutMs: 10_000, what: 'baseline' });
    const eventsBefore = eventRows(h.store).length;

    // A control job: what attemptsMade looks like for a job that completed at its first try.
    const control = await queue.add('rescan', { uscc: validUscc(301) });
    await expect.poll(() => control.getState(), { timeout: 10_000 }).toBe('completed');
    const normalAttempts = (await queue.getJob(control.id ?? ''))?.attemptsMade;

    await h.control.addFault({ kind: 'rate_limit', uscc: validUscc(300), retryAfterSeconds: 1, times: 1 });
    const started = performance.now();
    const job = await queue.add('rescan', { uscc: validUscc(300) });
    await expect.poll(() => job.getState(), { timeout: 15_000 }).toBe('completed');
    const elapsed = performance.now() - started;

    const done = await queue.getJob(job.id ?? '');
    expect(h.mock.stats().faultsInjected.rate_limit).toBe(1);
    expect(h.mock.stats().byStatus['429']).toBe(1);
    // The advised 1 s was honoured (not the 10 s CM_RATE_LIMIT_PAUSE), and waited for.
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(9_000);
    expect(done?.attemptsMade).toBe(normalAttempts);
    expect(done?.failedReason ?? '').toBe('');
    expect(done?.stacktrace ?? []).toEqual([]);
    const customer = customerRows(h.store).find((c) => c.uscc === validUscc(300));
    expect(customer?.consecutive_failures).toBe(0);
    expect(eventRows(h.store)).toHaveLength(eventsBefore);
  });
});
