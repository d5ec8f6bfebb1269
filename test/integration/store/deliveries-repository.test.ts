import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCheckStore } from '../../../src/store/check-store.js';
import { createCustomersRepository } from '../../../src/store/customers-repository.js';
import { createDeliveriesRepository, type DeliveriesRepository } from '../../../src/store/deliveries-repository.js';
import { deliveryId } from '../../../src/store/delivery-id.js';
import { createWebhookTargetsRepository } from '../../../src/store/webhook-targets-repository.js';
import { sampleCheck, sampleEvent } from '../../helpers/store-fixtures.js';
import { openTempDatabase, type TempDatabase } from '../../helpers/temp-database.js';

const T0 = Date.UTC(2026, 10, 27, 8);
const HOOK = 'https://example.test/hook';
const USCC = '91440300708461136T';

let temp: TempDatabase;
let repo: DeliveriesRepository;
let customerId: number;

beforeEach(async () => {
  temp = openTempDatabase();
  repo = createDeliveriesRepository(temp.handle, { clock: () => T0 + 1 });
  customerId = (await createCustomersRepository(temp.handle).add({ uscc: USCC, name: '甲', tags: ['t'] })).customer.id;
  await createCheckStore(temp.handle).recordCheck(
    sampleCheck(customerId, [sampleEvent(customerId, { id: 'e1' }), sampleEvent(customerId, { id: 'e2' })], T0),
  );
});
afterEach(() => {
  temp.cleanup();
});

describe('deliveries repository', () => {
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
    const row = temp.handle.sqlite.prepare('select status, attempts, sent_at from deliveries where id = ?').get(first);
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
    const targets = createWebhookTargetsRepository(temp.handle);
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
    await createCustomersRepository(temp.handle).add({ uscc: USCC, name: '甲乙', tags: ['u'] });
    expect(JSON.stringify(await repo.eventMessage('e1'))).toBe(JSON.stringify(message));
    expect(await repo.eventMessage('nope')).toBeUndefined();
  });

  it('reports an unknown delivery as NOT_FOUND', async () => {
    await expect(repo.markSent('nope', T0)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(repo.markFailed('nope', 'x', null)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
