/** What the case workflow needs from the store (both dialects implement it; see store/cases-repository.ts). */
import type { CaseDeadline, CaseDeadlineKind, CaseDecision, CaseRecord, CaseState } from '../domain/cases.js';
import type { Tier } from '../domain/events.js';
import type { DeliveryDraft, StoredEvent } from './ports.js';

/**
 * A check's events that open or join a case (part of RecordCheckInput, applied in the check's
 * transaction). Only the events of `eventIds` the check actually inserted count (a re-run inserts
 * none, and then nothing happens). With such events: when the customer has a case not yet resolved,
 * they join it (their `case_id`; the case's tier and lead event move up when one is more severe);
 * otherwise `open` is inserted, with its `case.opened` event and deliveries, and they join it.
 * Either way an audit entry (actor `system`, action `case.opened` or `case.joined`, subject the
 * case id, details `{ eventIds }`) records it.
 */
export interface CaseIntake {
  /** The check's events at or above `cases.openAt`, in the check's order. */
  eventIds: string[];
  /** The most severe of them (the first such) and its tier. */
  leadEventId: string;
  leadTier: Tier;
  open: {
    id: string;
    openedAt: number;
    acknowledgeDue: CaseDeadline;
    resolveDue: CaseDeadline;
    /** `case.opened` (its payload's `case` object already filled in) and its outbox rows. */
    event: StoredEvent;
    deliveries: DeliveryDraft[];
  };
}

/** A case event written outside a check (overdue, resolved): the event row and its outbox rows. */
export interface CaseEventWrite {
  event: StoredEvent;
  deliveries: DeliveryDraft[];
}

export interface CaseFilter {
  state?: CaseState;
  /** Not resolved, with a deadline passed at `now` (acknowledge while open; resolve until resolved). */
  overdueAt?: number;
  uscc?: string;
  limit: number;
  /** Cases opened before this one (newest first paging): its id. */
  before?: string;
}

/** A case with what belongs to it, for `cases show`. */
export interface CaseDetail {
  case: CaseRecord;
  /** Its events, oldest first (the case events included). */
  events: Array<{ id: string; type: StoredEvent['type']; tier: Tier; detectedAt: number; acknowledgedAt: number | null }>;
  /** The outbox rows of those events. */
  deliveries: Array<{ eventId: string; channel: string; target: string; status: 'pending' | 'sent' | 'dead'; attempts: number; lastError: string | null }>;
  /** The audit entries whose subject is the case id, oldest first. */
  audit: Array<{ at: number; actor: string; action: string; details: Record<string, unknown> }>;
}

/** A transition's outcome: the case after it, or why it was refused (nothing written). */
export type CaseTransition =
  | { outcome: 'done'; case: CaseRecord }
  | { outcome: 'unchanged'; case: CaseRecord }
  | { outcome: 'refused'; case: CaseRecord; reason: string };

/** Transitions of an unknown case id throw AppError `NOT_FOUND`; reads answer undefined; raiseOverdue false. */
export interface CasesRepository {
  get(id: string): Promise<CaseRecord | undefined>;
  detail(id: string): Promise<CaseDetail | undefined>;
  /** Newest first. */
  list(filter: CaseFilter): Promise<CaseRecord[]>;
  /** How many cases match `filter` in all (its page position aside). */
  count(filter: Omit<CaseFilter, 'limit' | 'before'>): Promise<number>;
  /** Cases not resolved, by state, and how many of them are past a deadline at `now`. */
  counts(now: number): Promise<{ open: number; acknowledged: number; overdue: number }>;
  /** The case an event belongs to, if any. */
  caseOfEvent(eventId: string): Promise<CaseRecord | undefined>;
  /** The customer's case not yet resolved, if any. */
  unresolvedCaseOf(customerId: number): Promise<CaseRecord | undefined>;
  /**
   * open → acknowledged, in one transaction with: every unacknowledged event of the case
   * acknowledged (by, at, note) so escalation stops, and an audit entry `case.acknowledged`
   * (actor `actor`, details `{ by, note }`). `unchanged` when already acknowledged or resolved.
   */
  acknowledge(id: string, by: string, note: string | null, at: number, actor: string): Promise<CaseTransition>;
  /** Sets the assignee (any state but resolved); audit `case.assigned` `{ from, to }`. `unchanged` when the same. */
  assign(id: string, to: string, at: number, actor: string): Promise<CaseTransition>;
  /**
   * → resolved with a decision and note, from open or acknowledged (an open case is acknowledged by
   * the same person at the same time, its events too); writes `resolved` (the `case.resolved` event
   * and its outbox rows, built by the caller for this case) and audit `case.resolved`
   * `{ by, decision, note }`. `refused` when already resolved. Every event of the case still
   * unacknowledged then (the `case.resolved` event too) is acknowledged by `by` at `at` with `note`.
   * `resolved` gets the case as resolved (state, decision, times set) and the ids of its events that
   * are not case events, oldest first (the payload's `eventIds`), inside the transaction.
   */
  resolve(
    id: string,
    input: { by: string; decision: CaseDecision; note: string; at: number; actor: string },
    resolved: (current: CaseRecord, eventIds: string[]) => CaseEventWrite,
  ): Promise<CaseTransition>;
  /** Cases not resolved whose `kind` deadline passed at `now` (dueAt < now) and whose overdue event was not raised; oldest due first. */
  overdueToRaise(now: number, kind: CaseDeadlineKind, limit: number): Promise<CaseRecord[]>;
  /**
   * Marks `kind` overdue raised and writes its `case.overdue` event and outbox rows in one
   * transaction, with audit `case.overdue` `{ deadline }` (actor `system`); false (nothing written)
   * when it was raised meanwhile, or the case moved past that deadline (acknowledged / resolved).
   */
  raiseOverdue(id: string, kind: CaseDeadlineKind, at: number, write: CaseEventWrite): Promise<boolean>;
}
