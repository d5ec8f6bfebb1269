/**
 * The scan queue's after-check step on its own: real metrics (read back as Prometheus text), a real
 * SQLite outbox behind the store's sendable filter, a real pino logger; only the queue is a recorder.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckOutcome } from '../../../src/app/check-customer.js';
import type { StoredEvent } from '../../../src/app/ports.js';
import { NO_OPTIONAL_SECTIONS } from '../../../src/domain/sections.js';
import { createMetrics, type Metrics } from '../../../src/http/metrics.js';
import { createAfterCheck } from '../../../src/jobs/after-check.js';
import { countDelivery, countDigest } from '../../../src/jobs/delivery-metrics.js';
import { createCheckStore } from '../../../src/store/check-store.js';
import { createCustomersRepository } from '../../../src/store/customers-repository.js';
import { createDeliveriesRepository } from '../../../src/store/deliveries-repository.js';
import { createWebhookTargetsRepository } from '../../../src/store/webhook-targets-repository.js';
import { captureLogs, type LogCapture } from '../../helpers/log-capture.js';
import { sampleCheck, sampleEvent } from '../../helpers/store-fixtures.js';
import { openTempDatabase, type TempDatabase } from '../../helpers/temp-database.js';

const USCC = '91440300708461136T';
const HOOK = 'https://example.test/hook';

let temp: TempDatabase;
let metrics: Metrics;
let logs: LogCapture;
let enqueued: Array<[string, number]>;
let events: StoredEvent[];
let afterCheck: ReturnType<typeof createAfterCheck>;

beforeEach(async () => {
  temp = openTempDatabase();
  const customerId = (await createCustomersRepository(temp.handle).add({ uscc: USCC, name: '甲', tags: [] })).customer.id;
  events = [sampleEvent(customerId, { id: 'e1' }), sampleEvent(customerId, { id: 'e2', type: 'serious_violation.listed', tier: 'critical' })];
  await createCheckStore(temp.handle).recordCheck(sampleCheck(customerId, events));
  metrics = createMetrics();
  logs = captureLogs();
  enqueued = [];
  const deliveries = createDeliveriesRepository(temp.handle);
  afterCheck = createAfterCheck({
    metrics,
    provider: 'mock',
    sections: { ...NO_OPTIONAL_SECTIONS, dishonestDebtors: true },
    sendablePending: (ids) => deliveries.listPendingForEvents(ids, { sendable: { channels: ['log', 'webhook'] } }),
    enqueueDelivery: (id, attempts) => { enqueued.push([id, attempts]); return Promise.resolve(); },
    logger: logs.logger,
  });
});
afterEach(() => {
  temp.cleanup();
});

const checked = (overrides: Partial<Extract<CheckOutcome, { kind: 'checked' }>> = {}): CheckOutcome => ({
  kind: 'checked', uscc: USCC, events: [], failedSections: [], snapshotWritten: false, methodChanged: false, keptFields: [], skippedSections: [],
  grade: { before: 'unrated', after: 'unrated', rule: null, decided: false }, ...overrides,
});

/** The value of one series in the Prometheus text, 0 when absent. */
async function series(name: string, labels: string): Promise<number> {
  const line = (await metrics.render()).split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

describe('createAfterCheck', () => {
  it.each([
    { name: 'no events', outcome: checked(), result: 'unchanged' },
    { name: 'a failed section', outcome: checked({ failedSections: [{ section: 'registration', error: { kind: 'transient', message: 'timeout' } }] }), result: 'failed' },
    { name: 'rate-limited', outcome: { kind: 'rate_limited', uscc: USCC, retryAfterMs: undefined } as const, result: 'rate_limited' },
    { name: 'unknown customer', outcome: { kind: 'unknown_customer', uscc: USCC } as const, result: 'unknown_customer' },
  ])('counts $name as $result', async ({ outcome, result }) => {
    await afterCheck(outcome, 0.2);
    expect(await series('credit_monitor_checks_total', `result="${result}"`)).toBe(1);
    expect(enqueued).toEqual([]);
  });

  it('counts a request per section that is on, with the failed one by its kind', async () => {
    await afterCheck(checked({ failedSections: [{ section: 'abnormalOperations', error: { kind: 'invalid_response', message: 'x' } }] }), 0.1);
    const count = (section: string, outcome: string) =>
      series('credit_monitor_provider_requests_total', `provider="mock",section="${section}",outcome="${outcome}"`);
    expect(await count('registration', 'ok')).toBe(1);
    expect(await count('abnormalOperations', 'invalid_response')).toBe(1);
    expect(await count('dishonestDebtors', 'ok')).toBe(1);
    // Off: it made no request, so it is not counted at all.
    expect(await count('administrativePenalties', 'ok')).toBe(0);
  });

  it('counts its events and enqueues the deliveries this process can send, and only those', async () => {
    await createWebhookTargetsRepository(temp.handle).disableWebhookTarget(HOOK, 'HTTP 410', Date.now());
    await afterCheck(checked({ events }), 0.1);
    expect(await series('credit_monitor_checks_total', 'result="changed"')).toBe(1);
    expect(await series('credit_monitor_events_total', 'type="serious_violation.listed",tier="critical"')).toBe(1);
    expect(enqueued).toEqual([]);

    await createWebhookTargetsRepository(temp.handle).enableWebhookTarget(HOOK);
    await afterCheck(checked({ events }), 0.1);
    expect(enqueued.map(([, attempts]) => attempts)).toEqual([0, 0]);
  });

  it('says a silent re-baseline each time, and missing registration fields once per streak', async () => {
    const lacking = checked({ methodChanged: true, keptFields: [{ field: 'address', reason: 'absent' }] });
    await afterCheck(lacking, 0.1);
    await afterCheck(lacking, 0.1);
    expect(logs.matching('re-baselined silently')).toHaveLength(2);
    expect(logs.matching('their last known values were kept')).toEqual([
      expect.objectContaining({ level: 40, uscc: USCC, keptFields: [{ field: 'address', reason: 'absent' }] }),
    ]);
    await afterCheck(checked(), 0.1);
    await afterCheck(lacking, 0.1);
    expect(logs.matching('their last known values were kept')).toHaveLength(2);
  });
});

describe('delivery metrics', () => {
  it.each([
    { outcome: { kind: 'sent', channel: 'webhook' } as const, result: 'sent' },
    { outcome: { kind: 'retry', channel: 'webhook', target: HOOK, atMs: 0, attempts: 1, error: 'HTTP 503' } as const, result: 'failed' },
    { outcome: { kind: 'dead', channel: 'webhook', target: HOOK, attempts: 9, error: 'HTTP 400' } as const, result: 'dead' },
  ])('a delivery that ended $outcome.kind counts as $result', async ({ outcome, result }) => {
    countDelivery(metrics, outcome);
    countDelivery(metrics, { kind: 'skipped', reason: 'target disabled' });
    expect(await series('credit_monitor_deliveries_total', `channel="webhook",result="${result}"`)).toBe(1);
  });

  it('a digest run counts one attempt per recipient', async () => {
    countDigest(metrics, {
      kind: 'incomplete',
      period: '2026-11-27',
      recipients: [{ recipient: 'a@example.com', events: 2, result: 'sent' }, { recipient: 'b@example.com', events: 1, result: 'retry', error: 'x' }],
    });
    countDigest(metrics, { kind: 'already_sent', period: '2026-11-27' });
    expect(await series('credit_monitor_deliveries_total', 'channel="email_digest",result="sent"')).toBe(1);
    expect(await series('credit_monitor_deliveries_total', 'channel="email_digest",result="failed"')).toBe(1);
  });
});
