import type { CreditEvent, Tier } from '../domain/events.js';
import type { Grade } from '../domain/grades.js';
import type { KnownListing } from '../domain/listing-history.js';
import type { SectionMethods } from '../domain/method.js';
import type { Snapshot, SnapshotMethod } from '../domain/snapshot.js';

export interface Customer {
  id: number;
  uscc: string;
  name: string;
  tags: string[];
  paused: boolean;
  /** Epoch ms. */
  lastCheckedAt: number | null;
  /** Epoch ms; null means due at once. */
  nextCheckAt: number | null;
  consecutiveFailures: number;
  lastError: string | null;
  /** A `monitoring.degraded` event is outstanding (no `monitoring.recovered` since). */
  degraded: boolean;
  /** The current credit grade (信用等级); `unrated` until a check has read the registration. */
  grade: Grade;
  /** The name of the grading rule that decided `grade`; null while unrated. */
  gradeRule: string | null;
  /** Epoch ms when `grade` was last decided (by a check or a figures import); null while unrated. */
  gradedAt: number | null;
}

export interface StoredSnapshot {
  id: number;
  customerId: number;
  /** Epoch ms. */
  takenAt: number;
  hash: string;
  /** The method of the check that wrote it. */
  method: SnapshotMethod;
  /** Sections last read by another method than `method` (a section that kept failing). */
  sectionMethods: SectionMethods;
  body: Snapshot;
}

export interface StoredEvent extends CreditEvent {
  customerId: number;
  /** Epoch ms. */
  detectedAt: number;
  /** Provider id that produced the snapshot the event came from ("mock", "tianyancha", …). */
  source: string;
}

export interface DeliveryDraft {
  eventId: string;
  channel: string;
  target: string;
}

export interface RecordCheckInput {
  customerId: number;
  /**
   * The snapshot this check was diffed against (null: none). When it is no longer the customer's
   * latest, nothing is written and `recordCheck` answers `stale: true`.
   */
  basedOnSnapshotId: number | null;
  /** Epoch ms. */
  checkedAt: number;
  /** Epoch ms. */
  nextCheckAt: number;
  /** Present only when the normalised snapshot's hash or method changed. */
  snapshot?: { hash: string; method: SnapshotMethod; sectionMethods: SectionMethods; body: Snapshot };
  events: StoredEvent[];
  deliveries: DeliveryDraft[];
  consecutiveFailures: number;
  lastError: string | null;
  degraded: boolean;
}

/** Writes one check's outcome; the only writer of snapshots, events and deliveries. */
export interface CheckStore {
  findCustomer(uscc: string): Promise<Customer | undefined>;
  latestSnapshot(customerId: number): Promise<StoredSnapshot | undefined>;
  /**
   * One transaction: snapshot (if given), events (ignored when the id exists), their deliveries
   * (ignored when the triple exists), and the customer's check bookkeeping.
   * Returns the ids of events that were new, or `stale: true` (nothing written) when another check
   * committed a snapshot after `basedOnSnapshotId`.
   */
  recordCheck(input: RecordCheckInput): Promise<{ newEventIds: string[]; stale: boolean }>;
  /** Every listing ever reported for the customer (its `*.listed` / `*.added` events). */
  listingHistory(customerId: number): Promise<KnownListing[]>;
  /** Tiers of the customer's events that nobody has acknowledged yet. */
  unacknowledgedTiers(customerId: number): Promise<Tier[]>;
}
