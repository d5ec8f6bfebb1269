import type { CreditEvent, Tier } from '../domain/events.js';
import type { CaseIntake } from './case-ports.js';
import type { EntryEvent } from '../domain/entry-history.js';
import type { Grade, RatedGrade } from '../domain/grades.js';
import type { KnownListing } from '../domain/listing-history.js';
import type { SectionMethods } from '../domain/method.js';
import type { Snapshot, SnapshotMethod } from '../domain/snapshot.js';
import type { TradingFigures } from '../domain/trading-figures.js';

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
  /**
   * Epoch ms when `grade` and `gradeRule` were set: by the check or figures import that decided them
   * otherwise than before (one that decides the same again leaves it). Null while unrated.
   */
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
  /**
   * Provider id that produced the snapshot the event came from ("mock", "tianyancha", …), or "erp"
   * for a grade change decided by a figures import.
   */
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
  /**
   * The grade this check decided; absent when it could not tell, and the stored grade stands. Stored
   * (with `graded_at`) only where it differs, in grade or rule, from the stored one.
   */
  grade?: GradeWrite;
  /** The check's events that open or join a case (see CaseIntake); absent: none do. */
  caseIntake?: CaseIntake;
}

/** What `recordCheck` and `recordGrade` answer. */
export interface CheckRecorded {
  /** The events that were new (an id that existed is not). */
  newEventIds: string[];
  /** Nothing was written: the snapshot or grade it was decided from moved on. */
  stale: boolean;
  /** The case the new events of `caseIntake` joined or opened; absent when none did. */
  caseId?: string;
  /** Whether those events opened that case (with its `case.opened` event); present with `caseId`. */
  caseOpened?: boolean;
}

/** Events written outside a check (CheckStore.recordEvents). */
export interface RecordEventsInput {
  customerId: number;
  /** Epoch ms: dates the outbox rows and a case opened. */
  at: number;
  events: StoredEvent[];
  deliveries: DeliveryDraft[];
  caseIntake?: CaseIntake;
}

/**
 * A decided grade, with what it was decided from. Taken only while the customer's stored grade is
 * still `previous` and its latest figures are still `figures`; otherwise the write is stale and
 * nothing is written (the caller decides again). A row in grade_history when `grade` ≠ `previous`.
 */
export interface GradeWrite {
  grade: RatedGrade;
  previous: Grade;
  /** The grading rule that decided it. */
  rule: string;
  /** The latest figures it was decided with (null: the customer had none). */
  figures: TradingFigures | null;
}

/** A grade decided without a provider call (figures import): the grade, its event and outbox rows. */
export interface RecordGradeInput {
  customerId: number;
  /** The latest snapshot it was decided from; stale (nothing written) when it is no longer the latest. */
  basedOnSnapshotId: number;
  /** Epoch ms. */
  gradedAt: number;
  grade: GradeWrite;
  events: StoredEvent[];
  deliveries: DeliveryDraft[];
  /** The grade change's events that open or join a case (see CaseIntake), as for a check. */
  caseIntake?: CaseIntake;
}

/** Writes one check's outcome; the only writer of snapshots, events and deliveries. */
export interface CheckStore {
  findCustomer(uscc: string): Promise<Customer | undefined>;
  latestSnapshot(customerId: number): Promise<StoredSnapshot | undefined>;
  /**
   * One transaction: snapshot (if given), events (ignored when the id exists), their deliveries
   * (ignored when the triple exists), the customer's check bookkeeping and its grade (if given, see
   * GradeWrite) and its case intake (if given, see CaseIntake). Returns the ids of events that were
   * new and the case they joined or opened, or `stale: true` (nothing written) when another check
   * committed a snapshot after `basedOnSnapshotId`, or the grade it decided is stale.
   */
  recordCheck(input: RecordCheckInput): Promise<CheckRecorded>;
  /** Every listing ever reported for the customer (its `*.listed` / `*.added` events). */
  listingHistory(customerId: number): Promise<KnownListing[]>;
  /** Every entry event of the customer (`*.listed`, `*.added`, `*.removed`), oldest first: what grading remembers. */
  entryEvents(customerId: number): Promise<EntryEvent[]>;
  /** The customer's trading figures with the latest `asOf`, or null when it has none. */
  latestFigures(customerId: number): Promise<TradingFigures | null>;
  /**
   * One transaction: the grade (customers.grade, grade_rule, graded_at and a grade_history row), its
   * events (ignored when the id exists) and their deliveries. `stale: true` (nothing written) when
   * another check committed a snapshot after `basedOnSnapshotId`, or the grade or the latest figures
   * are no longer those it was decided from (see GradeWrite). With `caseIntake`, its new events
   * open or join a case as a check's do.
   */
  recordGrade(input: RecordGradeInput): Promise<CheckRecorded>;
  /**
   * Events raised from stored data alone (the listing clock's daily pass), in one transaction with
   * their outbox rows and the case intake, as a check writes them: each inserted unless its id
   * exists, outbox rows only for those inserted. `at` (epoch ms) dates the outbox rows and the case.
   */
  recordEvents(input: RecordEventsInput): Promise<CheckRecorded>;
  /** Tiers of the customer's events that nobody has acknowledged yet. */
  unacknowledgedTiers(customerId: number): Promise<Tier[]>;
}
