import { beforeEach, describe, expect, it } from 'vitest';
import type { CheckStore, RecordCheckInput } from '../../../src/app/ports.js';
import { deliveryId } from '../../../src/store/delivery-id.js';
import { createPgCheckStore } from '../../../src/store/pg/check-store.js';
import { openPgDatabase } from '../../../src/store/pg/database.js';
import { findFreePort } from '../../helpers/free-port.js';
import { fulfilled, openPeerStore, raceBehindLock } from '../../helpers/race-behind-lock.js';
import { sampleCheck, sampleEvent, sampleSnapshot, withoutSnapshot } from '../../helpers/store-fixtures.js';
import { STORE_DIALECTS, useTestStores, type TestStore } from '../../helpers/test-stores.js';
import { validUscc } from '../../helpers/valid-uscc.js';

const USCC = '91440300708461136T';

describe.each(STORE_DIALECTS)('check store on %s', (dialect) => {
  const stores = useTestStores(dialect);
  let t: TestStore;
  let store: CheckStore;
  let customerId: number;

  beforeEach(async () => {
    t = await stores.open();
    store = t.repos.checks;
    customerId = (await t.repos.customers.add({ uscc: USCC, name: '示例' })).customer.id;
  });

  const count = async (table: string): Promise<number> => Number((await t.sql<{ n: number }>(`select count(*) as n from ${table}`))[0]?.n);
  const counts = (): Promise<number[]> => Promise.all(['snapshots', 'events', 'deliveries'].map(count));
  // Booleans are 0/1 and JSON is text on SQLite; PostgreSQL's driver gives booleans and objects.
  const bool = (value: boolean): boolean | number => (dialect === 'sqlite' ? Number(value) : value);
  const json = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

  it('finds a customer by code, but not a removed one', async () => {
    expect(await store.findCustomer(USCC)).toMatchObject({ id: customerId, uscc: USCC, name: '示例' });
    await t.repos.customers.remove(USCC);
    expect(await store.findCustomer(USCC)).toBeUndefined();
  });

  it('writes snapshot, events, deliveries and bookkeeping together; a re-run writes nothing', async () => {
    const events = [
      sampleEvent(customerId),
      sampleEvent(customerId, { id: 'evt-recovered', type: 'monitoring.recovered', tier: 'info' }),
    ];
    const input = sampleCheck(customerId, events);

    expect(await store.recordCheck(input)).toEqual({ newEventIds: ['evt-listed', 'evt-recovered'], stale: false });
    expect(await counts()).toEqual([1, 2, 2]);

    const snapshot = await store.latestSnapshot(customerId);
    expect(snapshot).toEqual({
      id: expect.any(Number),
      customerId,
      takenAt: input.checkedAt,
      hash: 'hash-1',
      method: { provider: 'mock', providerVersion: '1', normaliserVersion: 1 },
      sectionMethods: {},
      body: sampleSnapshot(),
    });
    const [eventRow] = await t.sql<{ payload: unknown }>('select * from events where id = ?', events[0]!.id);
    expect(eventRow).toMatchObject({ snapshot_id: snapshot!.id, tier: 'high', baseline: bool(false), source: 'mock' });
    expect(json(eventRow!.payload)).toEqual({
      customer: { uscc: USCC, name: '示例', tags: [] },
      entry: events[0]!.entry,
    });

    const [delivery] = await t.sql('select * from deliveries where event_id = ?', events[0]!.id);
    expect(delivery).toMatchObject({
      id: deliveryId(events[0]!.id, 'webhook', 'https://example.test/hook'),
      status: 'pending',
      attempts: 0,
      next_attempt_at: input.checkedAt,
    });
    expect(await store.findCustomer(USCC)).toMatchObject({
      lastCheckedAt: input.checkedAt,
      nextCheckAt: input.nextCheckAt,
      consecutiveFailures: 0,
    });

    // A crash after commit and a re-run of the same check: it was diffed against an outdated
    // snapshot, so nothing is written (the check re-diffs); the same events again insert nothing.
    expect(await store.recordCheck(input)).toEqual({ newEventIds: [], stale: true });
    expect(await store.recordCheck(withoutSnapshot(input))).toEqual({ newEventIds: [], stale: true });
    expect(await store.recordCheck({ ...withoutSnapshot(input), basedOnSnapshotId: snapshot!.id })).toEqual({ newEventIds: [], stale: false });
    expect(await counts()).toEqual([1, 2, 2]);
  });

  it('links events of a check without a new snapshot to the latest one, or to none', async () => {
    const degraded = sampleEvent(customerId, { id: 'evt-degraded', type: 'monitoring.degraded', tier: 'medium' });
    const failed = {
      ...withoutSnapshot(sampleCheck(customerId, [degraded])),
      consecutiveFailures: 3,
      lastError: 'timeout',
      degraded: true,
    };
    expect(await store.recordCheck(failed)).toEqual({ newEventIds: ['evt-degraded'], stale: false });
    expect(await t.sql('select snapshot_id from events')).toEqual([{ snapshot_id: null }]);
    expect(await store.findCustomer(USCC)).toMatchObject({ consecutiveFailures: 3, lastError: 'timeout', degraded: true });

    await store.recordCheck(sampleCheck(customerId, []));
    const first = await store.latestSnapshot(customerId);
    await store.recordCheck({
      ...sampleCheck(customerId, []),
      basedOnSnapshotId: first!.id,
      snapshot: { ...sampleCheck(customerId, []).snapshot!, hash: 'hash-2' },
    });
    expect(await count('snapshots')).toBe(2);
    const latest = await store.latestSnapshot(customerId);
    await store.recordCheck({ ...withoutSnapshot(sampleCheck(customerId, [sampleEvent(customerId, { id: 'evt-later' })])), basedOnSnapshotId: latest!.id });
    expect(latest?.hash).toBe('hash-2');
    expect(await t.sql("select snapshot_id from events where id = 'evt-later'")).toEqual([{ snapshot_id: latest!.id }]);
  });

  it('rolls the whole check back when one insert fails', async () => {
    const input = sampleCheck(customerId, [sampleEvent(customerId)]);
    // A delivery for an event that does not exist violates its foreign key, after the snapshot and
    // the event were inserted.
    input.deliveries.push({ eventId: 'no-such-event', channel: 'webhook', target: 'https://example.test/hook' });

    await expect(store.recordCheck(input)).rejects.toMatchObject({ name: 'AppError', code: 'STORE_FAILED' });
    expect(await counts()).toEqual([0, 0, 0]);
    expect(await store.findCustomer(USCC)).toMatchObject({ lastCheckedAt: null, nextCheckAt: null });
    if (t.store.dialect === 'sqlite') expect(t.store.handle.sqlite.inTransaction).toBe(false);
    else expect(await t.sql("select pid from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'")).toEqual([]);
  });

  it('refuses, writing nothing, a check diffed against a snapshot that is no longer the latest', async () => {
    // Two checks of one customer read the same (absent) snapshot; the first to commit wins.
    const first = { ...sampleCheck(customerId, [sampleEvent(customerId, { id: 'evt-a' })]) };
    const second = { ...sampleCheck(customerId, [sampleEvent(customerId, { id: 'evt-b' })]), snapshot: { ...first.snapshot!, hash: 'hash-b' } };
    const results = await Promise.all([store.recordCheck(first), store.recordCheck(second)]);
    expect(results).toEqual([{ newEventIds: ['evt-a'], stale: false }, { newEventIds: [], stale: true }]);
    expect(await counts()).toEqual([1, 1, 1]);
  });

  it('lists every listing ever reported for a customer, from its events', async () => {
    const listed = sampleEvent(customerId);
    const recovered = sampleEvent(customerId, { id: 'evt-recovered', type: 'monitoring.recovered', tier: 'info' });
    await store.recordCheck(sampleCheck(customerId, [listed, recovered]));
    expect(await store.listingHistory(customerId)).toEqual([
      { section: 'abnormalOperations', key: listed.entry!.key, listedOn: listed.entry!.listedOn, reason: listed.entry!.reason },
    ]);
    expect(await store.listingHistory(customerId + 100)).toEqual([]);
  });

  it('refuses a check for an unknown customer', async () => {
    await expect(store.recordCheck(withoutSnapshot(sampleCheck(customerId + 100, [])))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('tells the tiers of the events nobody acknowledged', async () => {
    const critical = sampleEvent(customerId, { id: 'evt-critical', type: 'serious_violation.listed', tier: 'critical' });
    await store.recordCheck(sampleCheck(customerId, [sampleEvent(customerId), critical]));
    expect((await store.unacknowledgedTiers(customerId)).sort()).toEqual(['critical', 'high']);
    await t.repos.events.acknowledge('evt-critical', '王五', null, Date.UTC(2026, 10, 28));
    expect(await store.unacknowledgedTiers(customerId)).toEqual(['high']);
    expect(await store.unacknowledgedTiers(customerId + 100)).toEqual([]);
  });

  it('commits the other checks of a batch when one of them fails, and answers each its own', async () => {
    const other = (await t.repos.customers.add({ uscc: validUscc(1), name: '乙' })).customer.id;
    const bad = sampleCheck(customerId, [sampleEvent(customerId, { id: 'evt-bad' })]);
    bad.deliveries.push({ eventId: 'no-such-event', channel: 'webhook', target: 'https://example.test/hook' });
    const good = sampleCheck(other, [sampleEvent(other, { id: 'evt-good' })]);
    const unknown = withoutSnapshot(sampleCheck(other + 100, []));
    // Finished in the same turn, so they share a transaction first.
    const results = await Promise.allSettled([store.recordCheck(bad), store.recordCheck(good), store.recordCheck(unknown)]);
    expect(results).toEqual([
      { status: 'rejected', reason: expect.objectContaining({ code: 'STORE_FAILED' }) },
      { status: 'fulfilled', value: { newEventIds: ['evt-good'], stale: false } },
      { status: 'rejected', reason: expect.objectContaining({ code: 'NOT_FOUND' }) },
    ]);
    expect(await t.sql('select id from events')).toEqual([{ id: 'evt-good' }]);
    expect(await counts()).toEqual([1, 1, 1]);
    expect(await store.findCustomer(USCC)).toMatchObject({ lastCheckedAt: null });
  });

  it('records a batch of many customers in one go, each judged and linked on its own', async () => {
    const ids = [customerId];
    for (let i = 1; i < 40; i++) ids.push((await t.repos.customers.add({ uscc: validUscc(i), name: `客户${String(i)}` })).customer.id);
    const first = await Promise.all(ids.map((id) => store.recordCheck(sampleCheck(id, [sampleEvent(id, { id: `evt-${String(id)}` })]))));
    expect(first.every((result, i) => !result.stale && result.newEventIds[0] === `evt-${String(ids[i])}`)).toBe(true);
    // The second round: half unchanged (no snapshot), half changed; one based on an outdated snapshot.
    const latest = await Promise.all(ids.map((id) => store.latestSnapshot(id)));
    const second: RecordCheckInput[] = ids.map((id, i) => ({
      ...(i % 2 === 0 ? withoutSnapshot(sampleCheck(id, [])) : { ...sampleCheck(id, []), snapshot: { ...sampleCheck(id, []).snapshot!, hash: 'hash-2' } }),
      basedOnSnapshotId: i === 7 ? null : (latest[i]?.id ?? null),
      consecutiveFailures: i,
    }));
    const results = await Promise.all(second.map((input) => store.recordCheck(input)));
    expect(results.map((r) => r.stale)).toEqual(ids.map((_, i) => i === 7));
    expect(await count('snapshots')).toBe(ids.length + ids.filter((_, i) => i % 2 === 1 && i !== 7).length);
    for (const [i, id] of ids.entries()) {
      expect((await store.latestSnapshot(id))?.hash).toBe(i % 2 === 1 && i !== 7 ? 'hash-2' : 'hash-1');
      const [row] = await t.sql<{ consecutive_failures: number }>('select consecutive_failures from customers where id = ?', id);
      expect(row?.consecutive_failures).toBe(i === 7 ? 0 : i);
    }
    const links = await t.sql<{ id: string; snapshot_id: number }>('select e.id, e.snapshot_id from events e');
    for (const link of links) {
      const owner = ids.find((id) => link.id === `evt-${String(id)}`)!;
      expect(link.snapshot_id).toBe(latest[ids.indexOf(owner)]?.id);
    }
  });

  if (dialect === 'postgres') {
    it('two workers recording a check of one customer based on the same snapshot: exactly one commits, the other is stale', async () => {
      if (t.store.dialect !== 'postgres') throw new Error('expected PostgreSQL');
      const peer = await openPeerStore(t.cmDb);
      try {
        const mine = sampleCheck(customerId, [sampleEvent(customerId, { id: 'evt-mine' })]);
        const theirs = { ...sampleCheck(customerId, [sampleEvent(customerId, { id: 'evt-theirs' })]), snapshot: { ...mine.snapshot!, hash: 'hash-theirs' } };
        // Both wait behind a third transaction holding the customer's row, then go at once.
        const results = fulfilled(
          await raceBehindLock(t.store.handle.pool, [['select id from customers where id = $1 for update', [customerId]]], [
            () => store.recordCheck(mine),
            () => peer.repos.checks.recordCheck(theirs),
          ]),
        );
        expect(results.map((r) => r.stale).sort()).toEqual([false, true]);
        const winner = results[0]?.stale === false ? 'evt-mine' : 'evt-theirs';
        expect(results.find((r) => !r.stale)?.newEventIds).toEqual([winner]);
        expect(await counts()).toEqual([1, 1, 1]);
        expect(await t.sql('select id from events')).toEqual([{ id: winner }]);
      } finally {
        await peer.close();
      }
    });

    it('a batch of checks and an import of the same customers at once do not deadlock: both lock in id order', async () => {
      if (t.store.dialect !== 'postgres') throw new Error('expected PostgreSQL');
      // Added second, so its id is higher though its code sorts first: id order is not code order.
      const other = (await t.repos.customers.add({ uscc: '914403001922038216', name: '乙' })).customer.id;
      const checks = () => Promise.all([customerId, other].map((id) => store.recordCheck(sampleCheck(id, [sampleEvent(id, { id: `evt-${String(id)}` })]))));
      const renaming = () => t.repos.customers.upsertMany([{ uscc: USCC, name: '示例二' }, { uscc: '914403001922038216', name: '乙二' }]);
      // The import queues first for the lowest id; a check store locking in another order would by
      // then hold the other row and wait for this one: a deadlock, which PostgreSQL breaks by failing one.
      const [imported, checked] = await raceBehindLock<unknown>(
        t.store.handle.pool,
        [['select id from customers where id = $1 for update', [customerId]]],
        [renaming, checks],
        { inOrder: true },
      );
      expect(imported).toMatchObject({ status: 'fulfilled', value: { updated: 2 } });
      expect(checked).toMatchObject({ status: 'fulfilled' });
      expect(await counts()).toEqual([2, 2, 2]);
    });

    it('fails every check of a batch as retryable when the server cannot be reached', async () => {
      const url = new URL(t.cmDb);
      url.port = String(await findFreePort());
      const handle = openPgDatabase(url.toString(), { poolSize: 2 });
      try {
        const unreachable = createPgCheckStore(handle);
        const results = await Promise.allSettled([customerId, customerId + 1].map((id) => unreachable.recordCheck(sampleCheck(id, []))));
        expect(results).toEqual([0, 1].map(() => ({ status: 'rejected', reason: expect.objectContaining({ code: 'STORE_FAILED', retryable: true }) })));
      } finally {
        await handle.close();
      }
    });

    it('a worker that goes silent holding a customer\'s row (cut off mid-transaction) blocks its check only until the server ends that session', async () => {
      const silent = openPgDatabase(t.cmDb, { poolSize: 1, idleInTransactionTimeoutMs: 500, onIdleError: () => undefined });
      const client = await silent.pool.connect();
      client.on('error', () => undefined);
      try {
        await client.query('begin');
        await client.query('select id from customers where id = $1 for no key update', [customerId]);
        // Never commits nor rolls back: the server sees a session idle in its transaction.
        const result = await store.recordCheck(sampleCheck(customerId, [sampleEvent(customerId, { id: 'evt-after-silence' })]));
        expect(result).toMatchObject({ stale: false, newEventIds: ['evt-after-silence'] });
        await expect(client.query('select 1')).rejects.toThrow();
      } finally {
        client.release(true);
        await silent.close();
      }
    });

    it('records a batch of checks in one transaction of a handful of statements', async () => {
      if (t.store.dialect !== 'postgres') throw new Error('expected PostgreSQL');
      const ids = [customerId];
      for (let i = 1; i < 50; i++) ids.push((await t.repos.customers.add({ uscc: validUscc(i), name: `客户${String(i)}` })).customer.id);
      const { pool } = t.store.handle;
      const statements: string[] = [];
      const wrapped: Array<() => void> = [];
      let transactions = 0;
      // Counts what each checked-out connection sends: every statement is one round trip.
      const onAcquire = (client: { query: (...args: unknown[]) => unknown }): void => {
        transactions += 1;
        const query = client.query;
        wrapped.push(() => { client.query = query; });
        client.query = (...args: unknown[]) => {
          const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text;
          statements.push(text.trim().split(/\s+/, 1)[0]!.toLowerCase());
          return query.apply(client, args);
        };
      };
      pool.on('acquire', onAcquire);
      try {
        const events = (id: number) => [sampleEvent(id, { id: `a-${String(id)}` }), sampleEvent(id, { id: `b-${String(id)}`, tier: 'info', type: 'monitoring.recovered' })];
        const results = await Promise.all(ids.map((id) => store.recordCheck(sampleCheck(id, events(id)))));
        expect(results.every((r) => !r.stale && r.newEventIds.length === 2)).toBe(true);
      } finally {
        pool.off('acquire', onAcquire);
        for (const restore of wrapped) restore();
      }
      // 50 checks, 50 snapshots, 100 events, 100 deliveries: begin, lock, latest, 4 writes, commit.
      expect(transactions).toBe(1);
      expect(statements).toEqual(['begin', 'select', 'select', 'insert', 'insert', 'insert', 'update', 'commit']);
      expect(await counts()).toEqual([50, 100, 100]);
    });
  }
});
