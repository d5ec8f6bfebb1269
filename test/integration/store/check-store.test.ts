import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckStore } from '../../../src/app/ports.js';
import { createCheckStore } from '../../../src/store/check-store.js';
import { createCustomersRepository } from '../../../src/store/customers-repository.js';
import { deliveryId } from '../../../src/store/delivery-id.js';
import { sampleCheck, sampleEvent, sampleSnapshot, withoutSnapshot } from '../../helpers/store-fixtures.js';
import { openTempDatabase, type TempDatabase } from '../../helpers/temp-database.js';

const USCC = '91440300708461136T';

let temp: TempDatabase;
let store: CheckStore;
let customerId: number;

beforeEach(async () => {
  temp = openTempDatabase();
  store = createCheckStore(temp.handle);
  customerId = (await createCustomersRepository(temp.handle).add({ uscc: USCC, name: '示例' })).customer.id;
});
afterEach(() => {
  temp.cleanup();
});

const count = (table: string): number =>
  (temp.handle.sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;

describe('createCheckStore', () => {
  it('finds a customer by code, but not a removed one', async () => {
    expect(await store.findCustomer(USCC)).toMatchObject({ id: customerId, uscc: USCC, name: '示例' });
    await createCustomersRepository(temp.handle).remove(USCC);
    expect(await store.findCustomer(USCC)).toBeUndefined();
  });

  it('writes snapshot, events, deliveries and bookkeeping together; a re-run writes nothing', async () => {
    const events = [
      sampleEvent(customerId),
      sampleEvent(customerId, { id: 'evt-recovered', type: 'monitoring.recovered', tier: 'info' }),
    ];
    const input = sampleCheck(customerId, events);

    expect(await store.recordCheck(input)).toEqual({ newEventIds: ['evt-listed', 'evt-recovered'], stale: false });
    expect([count('snapshots'), count('events'), count('deliveries')]).toEqual([1, 2, 2]);

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
    const eventRow = temp.handle.sqlite.prepare('select * from events where id = ?').get(events[0]!.id);
    expect(eventRow).toMatchObject({ snapshot_id: snapshot!.id, tier: 'high', baseline: 0, source: 'mock' });
    expect(JSON.parse((eventRow as { payload: string }).payload)).toEqual({
      customer: { uscc: USCC, name: '示例', tags: [] },
      entry: events[0]!.entry,
    });

    const delivery = temp.handle.sqlite.prepare('select * from deliveries where event_id = ?').get(events[0]!.id);
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
    expect([count('snapshots'), count('events'), count('deliveries')]).toEqual([1, 2, 2]);
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
    expect(temp.handle.sqlite.prepare('select snapshot_id from events').get()).toEqual({ snapshot_id: null });
    expect(await store.findCustomer(USCC)).toMatchObject({ consecutiveFailures: 3, lastError: 'timeout', degraded: true });

    await store.recordCheck(sampleCheck(customerId, []));
    const first = await store.latestSnapshot(customerId);
    await store.recordCheck({
      ...sampleCheck(customerId, []),
      basedOnSnapshotId: first!.id,
      snapshot: { ...sampleCheck(customerId, []).snapshot!, hash: 'hash-2' },
    });
    expect(count('snapshots')).toBe(2);
    const latest = await store.latestSnapshot(customerId);
    await store.recordCheck({ ...withoutSnapshot(sampleCheck(customerId, [sampleEvent(customerId, { id: 'evt-later' })])), basedOnSnapshotId: latest!.id });
    expect(latest?.hash).toBe('hash-2');
    expect(temp.handle.sqlite.prepare("select snapshot_id from events where id = 'evt-later'").get()).toEqual({
      snapshot_id: latest!.id,
    });
  });

  it('rolls the whole check back when one insert fails', async () => {
    const input = sampleCheck(customerId, [sampleEvent(customerId)]);
    // A delivery for an event that does not exist violates its foreign key, after the snapshot and
    // the event were inserted.
    input.deliveries.push({ eventId: 'no-such-event', channel: 'webhook', target: 'https://example.test/hook' });

    await expect(store.recordCheck(input)).rejects.toMatchObject({ name: 'AppError', code: 'STORE_FAILED' });
    expect([count('snapshots'), count('events'), count('deliveries')]).toEqual([0, 0, 0]);
    expect(await store.findCustomer(USCC)).toMatchObject({ lastCheckedAt: null, nextCheckAt: null });
    expect(temp.handle.sqlite.inTransaction).toBe(false);
  });

  it('refuses, writing nothing, a check diffed against a snapshot that is no longer the latest', async () => {
    // Two checks of one customer read the same (absent) snapshot; the first to commit wins.
    const first = { ...sampleCheck(customerId, [sampleEvent(customerId, { id: 'evt-a' })]) };
    const second = { ...sampleCheck(customerId, [sampleEvent(customerId, { id: 'evt-b' })]), snapshot: { ...first.snapshot!, hash: 'hash-b' } };
    const results = await Promise.all([store.recordCheck(first), store.recordCheck(second)]);
    expect(results).toEqual([{ newEventIds: ['evt-a'], stale: false }, { newEventIds: [], stale: true }]);
    expect([count('snapshots'), count('events'), count('deliveries')]).toEqual([1, 1, 1]);
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
});
