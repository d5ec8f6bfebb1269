import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSweep, REQUEUE_AFTER_MS, type DueCheck } from '../../../src/app/run-sweep.js';
import { createRepositories, type Repositories } from '../../../src/store/create-repositories.js';
import { openTempDatabase, type TempDatabase } from '../../helpers/temp-database.js';
import { validUscc } from '../../helpers/valid-uscc.js';

describe('sweep queued marks', () => {
  let db: TempDatabase;
  let store: { repos: Repositories };

  beforeEach(async () => {
    db = openTempDatabase();
    store = { repos: createRepositories(db.handle) };
    await store.repos.customers.upsertMany([0, 1, 2].map((n) => ({ uscc: validUscc(n), name: `客户${n}`, tags: [] })));
  });
  afterEach(() => {
    db.cleanup();
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
});
