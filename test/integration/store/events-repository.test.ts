import { beforeEach, describe, expect, it } from 'vitest';
import type { EventsRepository } from '../../../src/store/events-repository.js';
import { fulfilled, openPeerStore, raceBehindLock } from '../../helpers/race-behind-lock.js';
import { sampleCheck, sampleEvent } from '../../helpers/store-fixtures.js';
import { STORE_DIALECTS, useTestStores, type TestStore } from '../../helpers/test-stores.js';

const A = '91440300708461136T';
const B = '914403001922038216';
const T0 = Date.UTC(2026, 10, 27, 8);
const HOUR = 3_600_000;

describe.each(STORE_DIALECTS)('events repository on %s', (dialect) => {
  const stores = useTestStores(dialect);
  let t: TestStore;
  let repo: EventsRepository;

  beforeEach(async () => {
    t = await stores.open();
    repo = t.repos.events;
    const customers = t.repos.customers;
    const a = (await customers.add({ uscc: A, name: '甲公司' })).customer.id;
    const b = (await customers.add({ uscc: B, name: '乙公司' })).customer.id;
    const store = t.repos.checks;
    await store.recordCheck(
      sampleCheck(a, [
        sampleEvent(a, { id: 'a-listed', baseline: true, detectedAt: T0 }),
        sampleEvent(a, {
          id: 'a-status',
          type: 'registration.status_changed',
          tier: 'critical',
          detectedAt: T0,
          change: { field: 'status', before: 'active', after: 'revoked' },
          statusAfter: 'revoked',
        }),
      ]),
    );
    await store.recordCheck(
      sampleCheck(b, [
        sampleEvent(b, {
          id: 'b-capital',
          type: 'registration.registered_capital_changed',
          tier: 'low',
          detectedAt: T0 + HOUR,
          change: { field: 'registeredCapital', before: '1000000 CNY', after: '2000000 CNY' },
          trend: 'rose',
        }),
        sampleEvent(b, {
          id: 'b-removed',
          type: 'abnormal_operations.removed',
          tier: 'info',
          detectedAt: T0 + 2 * HOUR,
          evidence: 'missing',
        }),
      ]),
    );
  });

  it('lists events newest first in the events --json shape', async () => {
    const events = await repo.query();
    expect(events.map((e) => e.id)).toEqual(['b-removed', 'b-capital', 'a-status', 'a-listed']);
    expect(events[2]).toEqual({
      id: 'a-status',
      type: 'registration.status_changed',
      tier: 'critical',
      baseline: false,
      detectedAt: '2026-11-27T08:00:00.000Z',
      customer: { uscc: A, name: '甲公司' },
      change: { field: 'status', before: 'active', after: 'revoked' },
      entry: sampleEvent(0).entry,
    });
    expect(events[0]).toMatchObject({ evidence: 'missing', customer: { uscc: B, name: '乙公司' } });
    expect(events[3]).toMatchObject({ baseline: true });
    // Absent parts are absent keys, not nulls, so JSON output stays as the contract shows it.
    expect(Object.keys(events[1]!)).not.toContain('evidence');
    expect(Object.keys(events[1]!)).not.toContain('acknowledgedAt');
  });

  it.each([
    { name: 'since (inclusive)', filter: { since: T0 + HOUR }, ids: ['b-removed', 'b-capital'] },
    { name: 'tier', filter: { tier: 'critical' as const }, ids: ['a-status'] },
    { name: 'uscc', filter: { uscc: A }, ids: ['a-status', 'a-listed'] },
    { name: 'limit', filter: { limit: 1 }, ids: ['b-removed'] },
    { name: 'combined', filter: { uscc: B, tier: 'low' as const, since: T0 }, ids: ['b-capital'] },
    { name: 'nothing matches', filter: { uscc: B, tier: 'critical' as const }, ids: [] },
  ])('filters by $name', async ({ filter, ids }) => {
    expect((await repo.query(filter)).map((e) => e.id)).toEqual(ids);
  });

  it('acknowledges once and keeps the first acknowledgement', async () => {
    const at = T0 + 3 * HOUR;
    expect(await repo.acknowledge('a-status', '王五', 'called the customer', at)).toEqual({
      outcome: 'acknowledged',
      acknowledgedBy: '王五',
      acknowledgedAt: at,
      note: 'called the customer',
    });
    expect(await repo.acknowledge('a-status', 'someone else', null, at + 1)).toEqual({
      outcome: 'already_acknowledged',
      acknowledgedBy: '王五',
      acknowledgedAt: at,
      note: 'called the customer',
    });
    expect((await repo.query({ tier: 'critical' }))[0]).toMatchObject({
      acknowledgedBy: '王五',
      acknowledgedAt: '2026-11-27T11:00:00.000Z',
    });
  });

  it('refuses to acknowledge an unknown event with NOT_FOUND', async () => {
    await expect(repo.acknowledge('nope', 'x', null, T0)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('counts events by tier since a time, every tier present', async () => {
    expect(await repo.countByTierSince(T0 + HOUR)).toEqual({ critical: 0, high: 0, medium: 0, low: 1, info: 1 });
    expect(await repo.countByTierSince(T0)).toEqual({ critical: 1, high: 1, medium: 0, low: 1, info: 1 });
  });

  it('names the dead deliveries of an event, by channel and target', async () => {
    const deliveries = (await t.repos.deliveries.listPendingForEvents(['a-status'])).map((d) => d.id);
    for (const id of deliveries) await t.repos.deliveries.markFailed(id, 'HTTP 410', null);
    const [status] = await repo.query({ tier: 'critical' });
    expect(status?.deadDeliveries).toEqual([{ channel: 'webhook', target: 'https://example.test/hook', error: 'HTTP 410' }]);
    expect((await repo.query({ uscc: B })).every((e) => e.deadDeliveries === undefined)).toBe(true);
  });

  if (dialect === 'postgres') {
    it('two workers acknowledging one event at once: the first is kept, the second is told so', async () => {
      if (t.store.dialect !== 'postgres') throw new Error('expected PostgreSQL');
      const peer = await openPeerStore(t.cmDb);
      try {
        const results = fulfilled(
          await raceBehindLock(t.store.handle.pool, [["select id from events where id = 'a-status' for update"]], [
            () => repo.acknowledge('a-status', '王五', 'mine', T0 + 3 * HOUR),
            () => peer.repos.events.acknowledge('a-status', '赵六', 'theirs', T0 + 3 * HOUR + 1),
          ]),
        );
        expect(results.map((r) => r.outcome).sort()).toEqual(['acknowledged', 'already_acknowledged']);
        const first = results.find((r) => r.outcome === 'acknowledged')!;
        expect(results.find((r) => r.outcome === 'already_acknowledged')).toEqual({ ...first, outcome: 'already_acknowledged' });
        expect((await repo.query({ tier: 'critical' }))[0]).toMatchObject({ acknowledgedBy: first.acknowledgedBy });
      } finally {
        await peer.close();
      }
    });
  }
});
