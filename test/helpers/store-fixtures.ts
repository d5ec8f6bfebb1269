import type { RecordCheckInput, StoredEvent } from '../../src/app/ports.js';
import type { Snapshot } from '../../src/domain/snapshot.js';

/** A small, plausible normalised snapshot for store tests. */
export function sampleSnapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    registration: {
      name: '深圳市示例科技有限公司',
      status: 'active',
      statusRaw: '存续（在营、开业、在册）',
      legalRepresentative: '张三',
      registeredCapital: { amount: 10_000_000, currency: 'CNY' },
      address: '深圳市南山区科技园',
      businessScope: '软件开发',
      establishedOn: '2010-05-20',
    },
    abnormalOperations: [],
    seriousViolations: [],
    ...overrides,
  };
}

/** An `abnormal_operations.listed` event for `customerId`; override anything. */
export function sampleEvent(customerId: number, overrides: Partial<StoredEvent> = {}): StoredEvent {
  return {
    id: 'evt-listed',
    customerId,
    type: 'abnormal_operations.listed',
    tier: 'high',
    baseline: false,
    detectedAt: Date.UTC(2026, 10, 27, 8),
    source: 'mock',
    entry: {
      key: 'rec-1',
      listedOn: '2026-11-20',
      reason: '通过登记的住所或者经营场所无法联系',
      authority: '深圳市市场监督管理局',
      removedOn: null,
      removalReason: null,
    },
    ...overrides,
  };
}

/** A successful check with one new snapshot, the given events, and a webhook delivery for each. */
export function sampleCheck(customerId: number, events: StoredEvent[], checkedAt = Date.UTC(2026, 10, 27, 8)): RecordCheckInput {
  return {
    customerId,
    basedOnSnapshotId: null,
    checkedAt,
    nextCheckAt: checkedAt + 86_400_000,
    snapshot: {
      hash: 'hash-1',
      method: { provider: 'mock', providerVersion: '1', normaliserVersion: 1 },
      sectionMethods: {},
      body: sampleSnapshot(),
    },
    events,
    deliveries: events.map((event) => ({ eventId: event.id, channel: 'webhook', target: 'https://example.test/hook' })),
    consecutiveFailures: 0,
    lastError: null,
    degraded: false,
  };
}

/** The same check as if the snapshot had not changed (no new snapshot row). */
export function withoutSnapshot(input: RecordCheckInput): RecordCheckInput {
  const copy = { ...input };
  delete copy.snapshot;
  return copy;
}
