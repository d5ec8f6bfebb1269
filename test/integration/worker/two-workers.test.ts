/**
 * Two daemons on the same Redis, prefix and store (a SQLite file, or one PostgreSQL database) share
 * the first sweep: every customer is checked exactly once, and no event is recorded twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCompany, testEntries, testState } from '../../helpers/mock-provider-fixtures.js';
import { pollUntil } from '../../helpers/poll-until.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { STORE_DIALECTS } from '../../helpers/test-stores.js';
import { validUscc } from '../../helpers/valid-uscc.js';
import { createWorkerHarness, readCustomers, readEvents, type WorkerHarness } from '../../helpers/worker-harness.js';
import type { Store } from '../../../src/wiring/open-store.js';

const COUNT = 30;
/** Companies 0, 5, 10, … are already listed: their baseline events must appear once each. */
const listed = (n: number): boolean => n % 5 === 0;

describe.each(STORE_DIALECTS)('two workers on one Redis and one store (%s)', (dialect) => {
  let redis: RedisServer;
  let h: WorkerHarness<Store>;

  beforeAll(async () => {
    redis = await startRedisServer();
    const companies = Array.from({ length: COUNT }, (_, n) =>
      testCompany(n, listed(n) ? { abnormalOperations: testEntries(1, `AO${n}`) } : {}));
    h = await createWorkerHarness({ dialect, redisUrl: redis.url, state: testState(...companies) });
    await h.store.repos.customers.upsertMany(companies.map((c) => ({ uscc: c.uscc, name: c.name })));
  });
  afterAll(async () => {
    await h.cleanup();
    await redis.stop();
  });

  it('checks every customer exactly once in the first sweep', async () => {
    await Promise.all([
      h.startWorker({}, { concurrency: 4, sweepEveryMs: 300, maintenanceEveryMs: 300 }),
      h.startWorker({}, { concurrency: 4, sweepEveryMs: 300, maintenanceEveryMs: 300 }),
    ]);

    await pollUntil(async () => (await readCustomers(h)).every((c) => c.last_checked_at !== null), {
      timeoutMs: 20_000,
      what: 'every customer checked',
    });
    // Let further sweep ticks run (several at 300 ms), so a double enqueue would show.
    const ticksBefore = Number((await h.store.repos.meta.get('last_sweep_at')) ?? 0);
    await pollUntil(async () => Number((await h.store.repos.meta.get('last_sweep_at')) ?? 0) > ticksBefore + 600, {
      timeoutMs: 10_000,
      what: 'two more sweep ticks',
    });
    await pollUntil(() => h.mock.stats().inFlight === 0, { what: 'no request in flight' });

    const stats = h.mock.stats();
    // One check = one request per section (registration, abnormal operations, serious violations).
    const perCustomer = Array.from({ length: COUNT }, (_, n) => stats.byUscc[validUscc(n)]);
    expect(perCustomer).toEqual(Array.from({ length: COUNT }, () => 3));
    expect(stats.requestsTotal).toBe(COUNT * 3);

    const snapshots = await h.sql<{ uscc: string; n: number }>(
      'select c.uscc, count(s.id) as n from customers c left join snapshots s on s.customer_id = c.id group by c.id',
    );
    expect(snapshots.map((s) => s.n)).toEqual(Array.from({ length: COUNT }, () => 1));

    const events = await readEvents(h);
    const listedEvents = events.filter((e) => e.type === 'abnormal_operations.listed');
    expect(listedEvents.map((e) => e.uscc).sort()).toEqual(
      Array.from({ length: COUNT }, (_, n) => n).filter(listed).map((n) => validUscc(n)).sort(),
    );
    expect(listedEvents.every((e) => e.baseline === 1)).toBe(true);
    // No duplicates by id, nor by (customer, type, payload).
    const keys = events.map((e) => `${e.uscc}|${e.type}|${e.payload}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
