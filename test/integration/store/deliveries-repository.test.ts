import { beforeEach, describe, expect, it } from 'vitest';
import type { DeliveriesRepository } from '../../../src/store/deliveries-repository.js';
import { deliveryId } from '../../../src/store/delivery-id.js';
import { fulfilled, openPeerStore, raceBehindLock } from '../../helpers/race-behind-lock.js';
import { sampleCheck, sampleEvent } from '../../helpers/store-fixtures.js';
import { STORE_DIALECTS, useTestStores, type TestStore } from '../../helpers/test-stores.js';

const T0 = Date.UTC(2026, 10, 27, 8);
const HOOK = 'https://example.test/hook';
const USCC = '91440300708461136T';

describe.each(STORE_DIALECTS)('deliveries repository on %s', (dialect) => {
  const stores = useTestStores(dialect);
  let t: TestStore;
  let repo: DeliveriesRepository;
  let customerId: number;

  beforeEach(async () => {
    t = await stores.open({ clock: () => T0 + 1 });
    repo = t.repos.deliveries;
    customerId = (await t.repos.customers.add({ uscc: USCC, name: '甲', tags: ['t'] })).customer.id;
    await t.repos.checks.recordCheck(
      sampleCheck(customerId, [sampleEvent(customerId, { id: 'e1' }), sampleEvent(customerId, { id: 'e2' })], T0),
    );
  });

  it('derives a stable id from event, channel and target', () => {
    expect(deliveryId('e1', 'webhook', HOOK)).toBe(deliveryId('e1', 'webhook', HOOK));
    expect(deliveryId('e1', 'webhook', HOOK)).toMatch(/^[0-9a-f]{64}$/);
    expect(deliveryId('e1', 'webhook', HOOK)).not.toBe(deliveryId('e1', 'email', HOOK));
    expect(deliveryId('a', 'bc', 'd')).not.toBe(deliveryId('ab', 'c', 'd'));
  });

  it('lists pending deliveries, marks them sent or failed, and counts dead ones', async () => {
    const pending = await repo.listPending(10);
    expect(pending.map((d) => d.eventId).sort()).toEqual(['e1', 'e2']);
    expect(await repo.listPending(10, { dueBy: T0 - 1 })).toEqual([]);
    const [first, second] = [deliveryId('e1', 'webhook', HOOK), deliveryId('e2', 'webhook', HOOK)];

    await repo.markSent(first, T0 + 10);
    await repo.markFailed(second, 'HTTP 503', T0 + 10_000);
    expect(await repo.listPending(10)).toEqual([
      expect.objectContaining({ id: second, attempts: 1, lastError: 'HTTP 503', nextAttemptAt: T0 + 10_000 }),
    ]);
    await repo.markFailed(second, 'HTTP 410', null);
    expect(await repo.listPending(10)).toEqual([]);
    expect(await repo.countDead()).toBe(1);

    // A late failure report never undoes a success.
    await repo.markFailed(first, 'late', null);
    const [row] = await t.sql('select status, attempts, sent_at from deliveries where id = ?', first);
    expect(row).toEqual({ status: 'sent', attempts: 1, sent_at: T0 + 10 });
  });

  it('finds a delivery and the pending deliveries of given events', async () => {
    const id = deliveryId('e1', 'webhook', HOOK);
    expect(await repo.findDelivery(id)).toMatchObject({ id, eventId: 'e1', channel: 'webhook', target: HOOK, status: 'pending' });
    expect(await repo.findDelivery('nope')).toBeUndefined();
    expect((await repo.listPendingForEvents(['e2', 'other'])).map((d) => d.eventId)).toEqual(['e2']);
    await repo.markSent(deliveryId('e2', 'webhook', HOOK), T0);
    expect(await repo.listPendingForEvents(['e2'])).toEqual([]);
    expect(await repo.listPendingForEvents([])).toEqual([]);
  });

  it('lists only the rows this process can send: its channels, never a disabled webhook target', async () => {
    const targets = t.repos.webhookTargets;
    const ids = async (rows: Promise<Array<{ eventId: string }>>): Promise<string[]> => (await rows).map((d) => d.eventId).sort();
    expect(await ids(repo.listPending(10, { sendable: { channels: ['log', 'webhook'] } }))).toEqual(['e1', 'e2']);
    expect(await ids(repo.listPending(10, { sendable: { channels: ['log', 'email'] } }))).toEqual([]);
    expect(await ids(repo.listPendingForEvents(['e1'], { sendable: { channels: ['email'] } }))).toEqual([]);

    await targets.disableWebhookTarget(HOOK, 'HTTP 410', T0);
    expect(await ids(repo.listPending(10, { sendable: { channels: ['webhook'] } }))).toEqual([]);
    expect(await ids(repo.listPendingForEvents(['e1', 'e2'], { sendable: { channels: ['webhook'] } }))).toEqual([]);
    // Without the filter (status, redrive) every pending row is there.
    expect(await ids(repo.listPending(10))).toEqual(['e1', 'e2']);

    await targets.enableWebhookTarget(HOOK);
    expect(await ids(repo.listPendingForEvents(['e1', 'e2'], { sendable: { channels: ['webhook'] } }))).toEqual(['e1', 'e2']);
  });

  it('renders the same message bytes on every call, even after the customer is renamed', async () => {
    const message = await repo.eventMessage('e1');
    expect(message).toEqual({
      id: 'e1',
      type: 'abnormal_operations.listed',
      tier: 'high',
      baseline: false,
      detectedAt: '2026-11-27T08:00:00.000Z',
      customer: { uscc: USCC, name: '甲', tags: ['t'] },
      entry: sampleEvent(customerId).entry,
      source: 'mock',
    });
    expect(Object.keys(message!)).toEqual(['id', 'type', 'tier', 'baseline', 'detectedAt', 'customer', 'entry', 'source']);
    await t.repos.customers.add({ uscc: USCC, name: '甲乙', tags: ['u'] });
    expect(JSON.stringify(await repo.eventMessage('e1'))).toBe(JSON.stringify(message));
    expect(await repo.eventMessage('nope')).toBeUndefined();
  });

  it('claims a due pending delivery once: not again until the claim runs out, never a sent one', async () => {
    const [first, second] = [deliveryId('e1', 'webhook', HOOK), deliveryId('e2', 'webhook', HOOK)];
    expect(await repo.claim(first, T0 - 1, T0 + 100), 'not due yet').toBe(false);
    expect(await repo.claim(first, T0, T0 + 15_000)).toBe(true);
    expect(await repo.claim(first, T0 + 10, T0 + 15_010), 'held by the first claim').toBe(false);
    // The relay does not see a claimed row until the claim runs out.
    expect((await repo.listPending(10, { dueBy: T0 + 14_999 })).map((d) => d.id)).toEqual([second]);
    expect(await repo.claim(first, T0 + 15_000, T0 + 30_000), 'after a sender died mid-send').toBe(true);
    await repo.markSent(first, T0 + 15_001);
    expect(await repo.claim(first, T0 + 60_000, T0 + 75_000)).toBe(false);
    await repo.markFailed(second, 'HTTP 410', null);
    expect(await repo.claim(second, T0 + 60_000, T0 + 75_000), 'dead').toBe(false);
    expect(await repo.claim('nope', T0, T0 + 1)).toBe(false);
  });

  if (dialect === 'postgres') {
    it('two workers claiming one delivery at once: exactly one gets it', async () => {
      if (t.store.dialect !== 'postgres') throw new Error('expected PostgreSQL');
      const peer = await openPeerStore(t.cmDb, { clock: () => T0 + 1 });
      try {
        const id = deliveryId('e1', 'webhook', HOOK);
        const claims = fulfilled(
          await raceBehindLock(
            t.store.handle.pool,
            [['select id from deliveries where id = $1 for update', [id]]],
            [() => repo.claim(id, T0, T0 + 15_000), () => peer.repos.deliveries.claim(id, T0, T0 + 15_000)],
          ),
        );
        expect(claims.sort()).toEqual([false, true]);
      } finally {
        await peer.close();
      }
    });
  }

  it('reports an unknown delivery as NOT_FOUND', async () => {
    await expect(repo.markSent('nope', T0)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(repo.markFailed('nope', 'x', null)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps the latest outcome per target: failing since the first failure of a run, cleared by a success', async () => {
    const [first, second] = [deliveryId('e1', 'webhook', HOOK), deliveryId('e2', 'webhook', HOOK)];
    expect(await repo.failingTargets()).toEqual([]);
    await repo.markFailed(first, 'HTTP 503', T0 + 10_000);
    await repo.markFailed(second, 'HTTP 502', T0 + 20_000);
    expect(await repo.failingTargets()).toEqual([
      { channel: 'webhook', target: HOOK, failingSince: T0 + 1, failedAttempts: 2, lastError: 'HTTP 502', lastAttemptAt: T0 + 1 },
    ]);
    await repo.markSent(first, T0 + 30_000);
    expect(await repo.failingTargets()).toEqual([]);
    // An escalation round's target ("#2") is reported as its recipient.
    const [escalation] = await t.repos.escalations.recordEscalation('e1', 0, T0, [{ channel: 'escalation', target: 'boss@example.com' }]);
    await repo.markFailed(escalation!, 'SMTP 550', null);
    expect(await repo.failingTargets()).toEqual([expect.objectContaining({ channel: 'escalation', target: 'boss@example.com', failedAttempts: 1 })]);
  });

  it('counts pending rows per channel and re-drives dead ones, all or one event\'s', async () => {
    expect(await repo.pendingByChannel()).toEqual([{ channel: 'webhook', pending: 2, oldestAt: T0 }]);
    const [first, second] = [deliveryId('e1', 'webhook', HOOK), deliveryId('e2', 'webhook', HOOK)];
    await repo.markFailed(first, 'HTTP 410', null);
    await repo.markFailed(second, 'HTTP 410', null);
    expect(await repo.countDead()).toBe(2);
    expect(await repo.pendingByChannel()).toEqual([]);
    expect(await repo.redriveDead({ eventId: 'e1' }, T0 + 100)).toEqual({ ids: [first], digest: 0 });
    expect(await repo.findDelivery(first)).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: T0 + 100, createdAt: T0 + 100, lastError: null });
    expect(await repo.redriveDead({}, T0 + 200)).toEqual({ ids: [second], digest: 0 });
    expect(await repo.countDead()).toBe(0);
    expect(await repo.pendingByChannel()).toEqual([{ channel: 'webhook', pending: 2, oldestAt: T0 + 100 }]);
  });

  if (dialect === 'postgres') {
    it.each([
      { name: 'both sent', outcomes: ['sent', 'sent'] as const, attempts: 1 },
      { name: 'sent, then a late failure', outcomes: ['sent', 'failed'] as const, attempts: 1 },
      { name: 'a failure, then sent', outcomes: ['failed', 'sent'] as const, attempts: 2 },
    ])('two workers reporting one delivery at once ($name): it is sent, never undone', async ({ outcomes, attempts }) => {
      if (t.store.dialect !== 'postgres') throw new Error('expected PostgreSQL');
      const peer = await openPeerStore(t.cmDb, { clock: () => T0 + 1 });
      try {
        const id = deliveryId('e1', 'webhook', HOOK);
        const report = (deliveries: DeliveriesRepository, outcome: 'sent' | 'failed') => () =>
          outcome === 'sent' ? deliveries.markSent(id, T0 + 10) : deliveries.markFailed(id, 'HTTP 503', T0 + 10_000);
        fulfilled(
          await raceBehindLock(
            t.store.handle.pool,
            [['select id from deliveries where id = $1 for update', [id]]],
            [report(repo, outcomes[0]), report(peer.repos.deliveries, outcomes[1])],
            { inOrder: true },
          ),
        );
        const [row] = await t.sql<{ status: string; attempts: number }>('select status, attempts from deliveries where id = ?', id);
        // A failure counts as an attempt only when it came first.
        expect(row).toEqual({ status: 'sent', attempts });
        expect(await repo.failingTargets()).toEqual([]);
      } finally {
        await peer.close();
      }
    });
  }
});
