/**
 * Re-scan requests in the store (DESIGN "Manual re-scans are durable"): what a request covers, when a
 * covered customer counts as done (checked since the request, success or recorded failure), when the
 * request is cleared, and that asking records before queueing and records nothing it does not queue.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { requestRescans, type RecordedRescan, type RequestRescanDeps } from '../../../src/app/request-rescan.js';
import type { Repositories } from '../../../src/store/create-repositories.js';
import { sampleCheck } from '../../helpers/store-fixtures.js';
import { holdPgTransaction } from '../../helpers/held-pg-transaction.js';
import { STORE_DIALECTS, useTestStores, type TestStore, type TestStores } from '../../helpers/test-stores.js';
import { validUscc } from '../../helpers/valid-uscc.js';

const T0 = 1_800_000_000_000;
const uscc = (n: number): string => validUscc(900 + n);

describe.each(STORE_DIALECTS)('re-scan requests on %s', (dialect) => {
  const stores = useTestStores(dialect);
  let store: TestStore;
  let repos: Repositories;
  let now = T0;

  beforeEach(async () => {
    now = T0;
    store = await openRegister(stores, () => now);
    repos = store.repos;
  });

  const pending = async (request: RecordedRescan): Promise<string[]> => {
    const out: string[] = [];
    for await (const code of repos.rescanRequests.iteratePending(request, { pageSize: 2 })) out.push(code);
    return out;
  };
  /** A real check write: snapshot bookkeeping and last_checked_at in one transaction. */
  const checkAt = async (n: number, at: number, failed = false): Promise<void> => {
    const customer = await repos.customers.findByUscc(uscc(n));
    const basedOnSnapshotId = (await repos.checks.latestSnapshot(customer?.id ?? 0))?.id ?? null;
    await repos.checks.recordCheck({ ...sampleCheck(customer?.id ?? 0, [], at), basedOnSnapshotId, ...(failed ? { consecutiveFailures: 1, lastError: 'registration: timeout' } : {}) });
  };

  it('covers the monitored customers of its scope that existed when it was made', async () => {
    now = T0 + 1000;
    const [all, east, one] = await repos.rescanRequests.record(
      [{ scope: { kind: 'all' }, force: false }, { scope: { kind: 'tag', tag: 'east' }, force: true }, { scope: { kind: 'uscc', uscc: uscc(4) }, force: false }],
      'cli:test',
      now,
    );
    // Added after the request: a fan-out asked before it does not cover it.
    now = T0 + 2000;
    await repos.customers.add({ uscc: uscc(8), name: '客户8', tags: ['east'] });

    expect(await pending(all!)).toEqual([0, 1, 2, 3, 6, 7].map(uscc));
    expect(await pending(east!)).toEqual([0, 1, 2, 3].map(uscc));
    // A single re-scan names its customer: paused or not, as the check itself does.
    expect(await pending(one!)).toEqual([uscc(4)]);
    expect(await repos.rescanRequests.countCovered({ kind: 'all' })).toBe(7);
    expect(await repos.rescanRequests.countCovered({ kind: 'tag', tag: 'east' })).toBe(5);
    expect(await repos.rescanRequests.find(east!.id)).toEqual({
      id: east!.id, requestedAt: T0 + 1000, requestedBy: 'cli:test', scope: { kind: 'tag', tag: 'east' }, force: true,
    });
  });

  it('counts a customer done once checked since the request, with or without failed sections, and clears the request when none is left', async () => {
    now = T0 + 1000;
    const [east] = await repos.rescanRequests.record([{ scope: { kind: 'tag', tag: 'east' }, force: false }], 'cli:test', now);
    await checkAt(0, T0 + 500); // before the request: still to do
    await checkAt(1, T0 + 1000); // at the request's time: done
    await checkAt(2, T0 + 1500, true); // a recorded failure: done
    expect(await pending(east!)).toEqual([0, 3].map(uscc));

    expect(await repos.rescanRequests.clearDone()).toBe(0);
    await checkAt(0, T0 + 2000);
    await checkAt(3, T0 + 2000);
    expect(await pending(east!)).toEqual([]);
    expect((await repos.rescanRequests.listOpen()).map((r) => r.id)).toEqual([east!.id]);
    expect(await repos.rescanRequests.clearDone()).toBe(1);
    expect(await repos.rescanRequests.find(east!.id)).toBeUndefined();
    expect(await repos.rescanRequests.listOpen()).toEqual([]);
  });

  it('clears exactly the requests whose covered customers all have a check at or after them', async () => {
    const [all, east, one] = await repos.rescanRequests.record(
      [{ scope: { kind: 'all' }, force: false }, { scope: { kind: 'tag', tag: 'east' }, force: false }, { scope: { kind: 'uscc', uscc: uscc(6) }, force: false }],
      'cli:test',
      T0 + 1000,
    );
    const checkedAt = (at: number, ...ns: number[]) =>
      Promise.all(ns.map((n) => store.sql('update customers set last_checked_at = ? where uscc = ?', at, uscc(n))));
    await checkedAt(T0 + 1000, 0, 1, 2, 3);
    await checkedAt(T0 + 999, 6);
    expect(await repos.rescanRequests.clearDone()).toBe(1);
    expect((await repos.rescanRequests.listOpen()).map((r) => r.id)).toEqual([all!.id, one!.id]);
    expect(await repos.rescanRequests.find(east!.id)).toBeUndefined();
    await checkedAt(T0 + 2000, 6, 7);
    expect(await repos.rescanRequests.clearDone()).toBe(2);
    expect(await repos.rescanRequests.listOpen()).toEqual([]);
  });

  it('clears a single re-scan of a customer removed since', async () => {
    const [one] = await repos.rescanRequests.record([{ scope: { kind: 'uscc', uscc: uscc(6) }, force: false }], 'cli:test', T0);
    await repos.customers.remove(uscc(6));
    expect(await pending(one!)).toEqual([]);
    expect(await repos.rescanRequests.clearDone()).toBe(1);
  });

  describe('requestRescans', () => {
    const deps = (over: Partial<RequestRescanDeps> = {}): RequestRescanDeps => ({
      store: repos.rescanRequests,
      enqueue: (requests) => Promise.resolve(requests.map((r) => `job-${r.id}`)),
      budget: { dailyCallBudget: 30, usedToday: () => Promise.resolve(15) },
      callsPerCheck: 3,
      ...over,
    });

    it('refuses a fan-out over what is left of the budget, recording nothing; --force records and queues it', async () => {
      const input = { scopes: [{ kind: 'all' as const }], force: false, actor: 'cli:test', now: T0 };
      const cost = { customers: 6, callsPerCheck: 3, estimatedCalls: 18, dailyCallBudget: 30, usedToday: 15, remaining: 15 };
      expect(await requestRescans(deps(), input)).toEqual({ kind: 'over_budget', cost });
      expect(await repos.rescanRequests.listOpen()).toEqual([]);

      const forced = await requestRescans(deps(), { ...input, force: true });
      expect(forced).toMatchObject({ kind: 'queued', cost, requests: [{ scope: { kind: 'all' }, force: true }] });
      expect(await repos.rescanRequests.listOpen()).toHaveLength(1);
    });

    it('lets a fan-out that fits, and single re-scans whatever the budget, through', async () => {
      const east = await requestRescans(deps(), { scopes: [{ kind: 'tag', tag: 'east' }], force: false, actor: 'cli:test', now: T0 });
      expect(east).toMatchObject({ kind: 'queued', cost: { customers: 4, estimatedCalls: 12, remaining: 15 } });
      const spent = deps({ budget: { dailyCallBudget: 30, usedToday: () => Promise.resolve(45) } });
      const singles = await requestRescans(spent, { scopes: [{ kind: 'uscc', uscc: uscc(0) }, { kind: 'uscc', uscc: uscc(1) }], force: false, actor: 'cli:test', now: T0 });
      expect(singles).toMatchObject({ kind: 'queued', requests: [{ scope: { uscc: uscc(0) } }, { scope: { uscc: uscc(1) } }] });
      expect(singles).not.toHaveProperty('cost');
      expect(await repos.rescanRequests.listOpen()).toHaveLength(3);
    });

    it('forgets the requests it could not queue, so none starts later on its own', async () => {
      const failing = deps({ enqueue: () => Promise.reject(new Error('Redis went away')) });
      await expect(requestRescans(failing, { scopes: [{ kind: 'uscc', uscc: uscc(0) }], force: false, actor: 'cli:test', now: T0 })).rejects.toThrow('Redis went away');
      expect(await repos.rescanRequests.listOpen()).toEqual([]);
    });
  });
});

describe('re-scan requests on postgres, while a worker checks', () => {
  const stores = useTestStores('postgres');

  it('a check not yet committed blocks neither listing nor clearing, and does not count as done until it commits', async () => {
    const store = await openRegister(stores, () => T0);
    if (store.store.dialect !== 'postgres') throw new Error('expected PostgreSQL');
    const requests = store.repos.rescanRequests;
    const [one] = await requests.record([{ scope: { kind: 'uscc', uscc: uscc(6) }, force: false }], 'cli:test', T0);
    const [all] = await requests.record([{ scope: { kind: 'all' }, force: false }], 'cli:test', T0);
    await store.sql('update customers set last_checked_at = ? where uscc <> ?', T0, uscc(6));
    // The worker's check transaction: its customer row stays locked until it commits.
    const check = await holdPgTransaction(store.store.handle.pool, [['update customers set last_checked_at = $1 where uscc = $2', [T0 + 1, uscc(6)]]]);
    try {
      const pendingOf = async (request: RecordedRescan): Promise<string[]> => {
        const out: string[] = [];
        for await (const code of requests.iteratePending(request)) out.push(code);
        return out;
      };
      expect(await pendingOf(one!)).toEqual([uscc(6)]);
      expect(await pendingOf(all!)).toEqual([uscc(6)]);
      expect(await requests.clearDone()).toBe(0);
      expect((await requests.listOpen()).map((r) => r.id)).toEqual([one!.id, all!.id]);
    } finally {
      await check.commit();
    }
    expect(await requests.clearDone()).toBe(2);
  });
});

/** A store with the register every test here starts from: 0-3 tagged east; 4 paused (east too); 5 removed. */
async function openRegister(stores: TestStores, clock: () => number): Promise<TestStore> {
  const store = await stores.open({ clock });
  await store.repos.customers.upsertMany(
    [0, 1, 2, 3, 4, 5, 6, 7].map((n) => ({ uscc: uscc(n), name: `客户${n}`, tags: n <= 4 ? ['east'] : [] })),
  );
  await store.repos.customers.setPaused(uscc(4), true);
  await store.repos.customers.remove(uscc(5));
  return store;
}
