import { beforeEach, describe, expect, it } from 'vitest';
import { runSweep, REQUEUE_AFTER_MS, type DueCheck } from '../../../src/app/run-sweep.js';
import type { Repositories } from '../../../src/store/create-repositories.js';
import { STORE_DIALECTS, useTestStores } from '../../helpers/test-stores.js';
import { validUscc } from '../../helpers/valid-uscc.js';

describe.each(STORE_DIALECTS)('sweep queued marks on %s', (dialect) => {
  const stores = useTestStores(dialect);
  let store: { repos: Repositories };

  beforeEach(async () => {
    store = await stores.open();
    await store.repos.customers.upsertMany([0, 1, 2].map((n) => ({ uscc: validUscc(n), name: `客户${n}`, tags: [] })));
  });

  const sweep = async (now: number): Promise<DueCheck[]> => {
    const enqueued: DueCheck[] = [];
    await runSweep(
      {
        dueCustomers: (at, pageSize, queuedBefore) => store.repos.customers.iterateDue(at, pageSize, { queuedBefore }),
        enqueueChecks: (checks) => { enqueued.push(...checks); return Promise.resolve(); },
        markQueued: (usccs, at) => store.repos.customers.markQueued(usccs, at),
        recordSweep: () => Promise.resolve(),
      },
      now,
      2,
    );
    return enqueued;
  };

  it('enqueues a due customer once while its job waits, again after the safety interval or a Redis loss', async () => {
    const now = 1_800_000_000_000;
    expect(await sweep(now)).toHaveLength(3);
    expect(await sweep(now + 60_000)).toHaveLength(0);
    expect(await sweep(now + REQUEUE_AFTER_MS + 1)).toHaveLength(3);
    expect(await sweep(now + REQUEUE_AFTER_MS + 60_000)).toHaveLength(0);
    expect(await store.repos.customers.clearQueued()).toBe(3);
    expect(await sweep(now + REQUEUE_AFTER_MS + 120_000)).toHaveLength(3);
  });

  it('a check clears the mark, so the next due time is enqueued on time', async () => {
    const now = 1_800_000_000_000;
    await sweep(now);
    const customer = await store.repos.checks.findCustomer(validUscc(0));
    await store.repos.checks.recordCheck({
      customerId: customer!.id, basedOnSnapshotId: null, checkedAt: now + 1000, nextCheckAt: now + 2000, events: [], deliveries: [],
      consecutiveFailures: 0, lastError: null, degraded: false,
    });
    expect((await sweep(now + 3000)).map((c) => c.uscc)).toEqual([validUscc(0)]);
  });

  it('marks and clears many customers in one call (past SQLite\'s parameter chunk), ignoring unknown codes', async () => {
    const now = 1_800_000_000_000;
    const codes = Array.from({ length: 1200 }, (_, i) => validUscc(i));
    await store.repos.customers.upsertMany(codes.map((uscc, i) => ({ uscc, name: `客户${i}`, tags: [] })));
    await store.repos.customers.markQueued([...codes.slice(0, 1100), validUscc(999_999)], now);
    const due: string[] = [];
    for await (const page of store.repos.customers.iterateDue(now, 500, { queuedBefore: now })) due.push(...page.map((c) => c.uscc));
    expect(due).toEqual(codes.slice(1100));
    expect(await store.repos.customers.clearQueued()).toBe(1100);
    expect(await store.repos.customers.clearQueued()).toBe(0);
  });
});
