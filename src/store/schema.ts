/**
 * The SQLite schema (drizzle). Times are epoch milliseconds in INTEGER columns; JSON lives in TEXT.
 * `npm run db:generate` turns changes here into a committed migration under `migrations/`.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { Role } from '../domain/api-tokens.js';
import type { CaseDecision, CaseState } from '../domain/cases.js';
import type { EventDraft, EventType, Tier } from '../domain/events.js';
import type { Grade } from '../domain/grades.js';
import type { SectionMethods } from '../domain/method.js';
import type { Snapshot } from '../domain/snapshot.js';

export const DELIVERY_STATUSES = ['pending', 'sent', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** What an event row keeps besides its columns: the parts of a CreditEvent that vary by type. */
export type EventPayload = Pick<EventDraft, 'change' | 'entry' | 'evidence' | 'statusAfter' | 'trend' | 'grade' | 'strategy' | 'case' | 'escalatesOn' | 'annualReport'> & {
  /**
   * The customer as it was when the event was recorded. Every delivery of the event renders its
   * message from this, so a retry's body stays byte-identical even if the customer is renamed.
   */
  customer?: { uscc: string; name: string; tags: string[] };
};

export const customers = sqliteTable(
  'customers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    uscc: text('uscc').notNull().unique(),
    name: text('name').notNull(),
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    paused: integer('paused', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    // Soft delete: the customer's events are compliance evidence and must outlive the register entry.
    removedAt: integer('removed_at'),
    lastCheckedAt: integer('last_checked_at'),
    // null = due at once (never checked, or just restored).
    nextCheckAt: integer('next_check_at'),
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    lastError: text('last_error'),
    degraded: integer('degraded', { mode: 'boolean' }).notNull().default(false),
    // When a sweep last enqueued this customer's due check; cleared by the check. Lets a sweep skip
    // work already queued instead of re-adding every due customer each minute.
    queuedAt: integer('queued_at'),
    // The current credit grade (信用等级) and the rule that decided it; 'unrated' before the first
    // successful check. History is in grade_history.
    grade: text('grade').$type<Grade>().notNull().default('unrated'),
    gradeRule: text('grade_rule'),
    gradedAt: integer('graded_at'),
  },
  (t) => [
    index('customers_next_check_at_idx').on(t.nextCheckAt),
    index('customers_grade_idx').on(t.grade),
  ],
);

/**
 * Cases (内部管理闭环): what an event at or above `cases.openAt` starts. At most one case per
 * customer is not resolved (the partial unique index); the lead event is not a foreign key, since
 * events reference their case and a case is inserted before its events.
 */
export const cases = sqliteTable(
  'cases',
  {
    // `C-` and 16 hex of the opening event's id (domain/cases.ts): the same on a re-run.
    id: text('id').primaryKey(),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    state: text('state').$type<CaseState>().notNull(),
    // The most severe tier among its events, and the first event of that tier: what escalation re-sends.
    tier: text('tier').$type<Tier>().notNull(),
    leadEventId: text('lead_event_id').notNull(),
    openedAt: integer('opened_at').notNull(),
    assignee: text('assignee'),
    acknowledgedAt: integer('acknowledged_at'),
    acknowledgedBy: text('acknowledged_by'),
    acknowledgementNote: text('acknowledgement_note'),
    resolvedAt: integer('resolved_at'),
    resolvedBy: text('resolved_by'),
    decision: text('decision').$type<CaseDecision>(),
    resolutionNote: text('resolution_note'),
    // Each deadline: its last day (YYYY-MM-DD, Asia/Shanghai), the end of that day (epoch ms; overdue
    // after it), and whether it was counted over days the calendar has no data for.
    acknowledgeDueDay: text('acknowledge_due_day').notNull(),
    acknowledgeDueAt: integer('acknowledge_due_at').notNull(),
    acknowledgeDueProvisional: integer('acknowledge_due_provisional', { mode: 'boolean' }).notNull(),
    resolveDueDay: text('resolve_due_day').notNull(),
    resolveDueAt: integer('resolve_due_at').notNull(),
    resolveDueProvisional: integer('resolve_due_provisional', { mode: 'boolean' }).notNull(),
    // When `case.overdue` was raised for each deadline; null while not raised (raised once each).
    acknowledgeOverdueAt: integer('acknowledge_overdue_at'),
    resolveOverdueAt: integer('resolve_overdue_at'),
  },
  (t) => [
    check('cases_state_check', sql`${t.state} IN ('open', 'acknowledged', 'resolved')`),
    check('cases_tier_check', sql`${t.tier} IN ('critical', 'high', 'medium', 'low', 'info')`),
    check(
      'cases_decision_check',
      sql`(${t.state} = 'resolved' AND ${t.decision} IN ('continue', 'restrict', 'suspend', 'terminate')) OR (${t.state} <> 'resolved' AND ${t.decision} IS NULL)`,
    ),
    uniqueIndex('cases_unresolved_customer_id_idx').on(t.customerId).where(sql`${t.state} <> 'resolved'`),
    index('cases_opened_at_id_idx').on(t.openedAt, t.id),
    index('cases_customer_id_opened_at_idx').on(t.customerId, t.openedAt),
    // The overdue passes read only the cases still waiting on each deadline.
    index('cases_acknowledge_due_at_idx').on(t.acknowledgeDueAt).where(sql`${t.state} = 'open' AND ${t.acknowledgeOverdueAt} IS NULL`),
    index('cases_resolve_due_at_idx').on(t.resolveDueAt).where(sql`${t.state} <> 'resolved' AND ${t.resolveOverdueAt} IS NULL`),
  ],
);

export const snapshots = sqliteTable(
  'snapshots',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    takenAt: integer('taken_at').notNull(),
    hash: text('hash').notNull(),
    provider: text('provider').notNull(),
    providerVersion: text('provider_version').notNull(),
    normaliserVersion: integer('normaliser_version').notNull(),
    // Sections still carrying another method's read (see domain/method.ts); null when none.
    sectionMethods: text('section_methods', { mode: 'json' }).$type<SectionMethods>(),
    body: text('body', { mode: 'json' }).$type<Snapshot>().notNull(),
  },
  (t) => [index('snapshots_customer_id_id_idx').on(t.customerId, t.id)],
);

export const events = sqliteTable(
  'events',
  {
    // Deterministic (a hash from the domain), so a re-run check inserts nothing twice.
    id: text('id').primaryKey(),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    snapshotId: integer('snapshot_id').references(() => snapshots.id),
    type: text('type').$type<EventType>().notNull(),
    tier: text('tier').$type<Tier>().notNull(),
    baseline: integer('baseline', { mode: 'boolean' }).notNull(),
    detectedAt: integer('detected_at').notNull(),
    source: text('source').notNull(),
    payload: text('payload', { mode: 'json' }).$type<EventPayload>().notNull(),
    acknowledgedBy: text('acknowledged_by'),
    acknowledgedAt: integer('acknowledged_at'),
    acknowledgementNote: text('acknowledgement_note'),
    // Re-notifications of an unacknowledged critical or high event (bounded by configuration).
    escalationCount: integer('escalation_count').notNull().default(0),
    lastEscalatedAt: integer('last_escalated_at'),
    // The case the event opened or joined; null for events below `cases.openAt` (and older ones).
    caseId: text('case_id').references(() => cases.id),
  },
  (t) => [
    check('events_tier_check', sql`${t.tier} IN ('critical', 'high', 'medium', 'low', 'info')`),
    // The paged list (newest first, keyset on detected_at and id) and its counts, read from indexes
    // alone: acknowledged_at rides along for the acknowledged filter. The partial ones hold the
    // unacknowledged events (the inbox), few once operators keep up; each is as wide as its full
    // twin, so SQLite's planner, which keeps no statistics, takes the partial one where both serve.
    index('events_detected_at_id_idx').on(t.detectedAt, t.id, t.acknowledgedAt),
    index('events_tier_detected_at_id_idx').on(t.tier, t.detectedAt, t.id, t.acknowledgedAt),
    index('events_unacknowledged_detected_at_id_idx').on(t.detectedAt, t.id, t.acknowledgedAt).where(sql`${t.acknowledgedAt} IS NULL`),
    index('events_unacknowledged_tier_detected_at_id_idx').on(t.tier, t.detectedAt, t.id, t.acknowledgedAt).where(sql`${t.acknowledgedAt} IS NULL`),
    // The customers list's tier filter, in customer order: PostgreSQL merges it with the register's
    // id order even when it guesses many rows (a guess once cost a walk over every event).
    index('events_unacknowledged_tier_customer_id_idx').on(t.tier, t.customerId, t.acknowledgedAt).where(sql`${t.acknowledgedAt} IS NULL`),
    index('events_customer_id_detected_at_idx').on(t.customerId, t.detectedAt),
    index('events_case_id_idx').on(t.caseId),
  ],
);

export const deliveries = sqliteTable(
  'deliveries',
  {
    // sha256 of (event id, channel, target): the same on every retry, so receivers can dedupe.
    id: text('id').primaryKey(),
    eventId: text('event_id')
      .notNull()
      .references(() => events.id),
    channel: text('channel').notNull(),
    target: text('target').notNull(),
    status: text('status').$type<DeliveryStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    // When a pending delivery is next due; null once it is sent or dead.
    nextAttemptAt: integer('next_attempt_at'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    sentAt: integer('sent_at'),
  },
  (t) => [
    check('deliveries_status_check', sql`${t.status} IN ('pending', 'sent', 'dead')`),
    uniqueIndex('deliveries_event_id_channel_target_idx').on(t.eventId, t.channel, t.target),
    index('deliveries_status_next_attempt_at_idx').on(t.status, t.nextAttemptAt),
  ],
);

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    subject: text('subject').notNull(),
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
  },
  // A case's history (`cases show`) is read by subject.
  (t) => [index('audit_log_subject_id_idx').on(t.subject, t.id)],
);

/** Small key/value facts about the installation, e.g. the time of the last sweep. */
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/** Webhook targets an operator must re-enable (a receiver answered 410 Gone). Absent = enabled. */
export const webhookTargets = sqliteTable('webhook_targets', {
  name: text('name').primaryKey(),
  disabledAt: integer('disabled_at'),
  disabledReason: text('disabled_reason'),
});

/** One row per digest period (YYYY-MM-DD in Asia/Shanghai): the digest is sent once per period. */
export const digests = sqliteTable('digests', {
  period: text('period').primaryKey(),
  sentAt: integer('sent_at').notNull(),
  eventCount: integer('event_count').notNull(),
});

export const RESCAN_KINDS = ['uscc', 'all', 'tag'] as const;
export type RescanKind = (typeof RESCAN_KINDS)[number];

/**
 * Manual re-scans asked through the CLI, written before their job is queued so that a Redis that
 * loses the job loses no re-scan. A row is deleted once every customer it covers has been checked
 * since `requested_at` (no separate progress is kept: `customers.last_checked_at` is the progress).
 */
export const rescanRequests = sqliteTable(
  'rescan_requests',
  {
    // AUTOINCREMENT: ids are never reused, so a job id derived from one never meets an old job's.
    id: integer('id').primaryKey({ autoIncrement: true }),
    requestedAt: integer('requested_at').notNull(),
    requestedBy: text('requested_by').notNull(),
    kind: text('kind').$type<RescanKind>().notNull(),
    // Set for kind 'uscc' and 'tag' respectively.
    uscc: text('uscc'),
    tag: text('tag'),
    // `rescan --force`: the fan-out's checks may go over the daily call budget.
    force: integer('force', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [
    check(
      'rescan_requests_kind_check',
      sql`(${t.kind} = 'uscc' AND ${t.uscc} IS NOT NULL) OR (${t.kind} = 'tag' AND ${t.tag} IS NOT NULL) OR ${t.kind} = 'all'`,
    ),
  ],
);

/**
 * The latest delivery outcome per channel and target (a webhook target's name, a recipient's
 * address), written with each attempt: `status` reads which ones are failing now from it.
 */
export const deliveryTargets = sqliteTable(
  'delivery_targets',
  {
    channel: text('channel').notNull(),
    target: text('target').notNull(),
    lastAttemptAt: integer('last_attempt_at').notNull(),
    lastSentAt: integer('last_sent_at'),
    // When the current run of failed attempts began; null while the latest attempt succeeded.
    failingSince: integer('failing_since'),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [primaryKey({ columns: [t.channel, t.target] })],
);

/** Every grade a customer has had, newest last: written with the grade, in the same transaction. */
export const gradeHistory = sqliteTable(
  'grade_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    at: integer('at').notNull(),
    grade: text('grade').$type<Grade>().notNull(),
    previousGrade: text('previous_grade').$type<Grade>().notNull(),
    // The name of the grading rule that decided it.
    rule: text('rule'),
  },
  (t) => [index('grade_history_customer_id_id_idx').on(t.customerId, t.id)],
);

/** Trading figures from the ERP (`figures import`), one row per customer and `as_of` day. */
export const tradingFigures = sqliteTable(
  'trading_figures',
  {
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    // YYYY-MM-DD (Asia/Shanghai): the day the figures describe.
    asOf: text('as_of').notNull(),
    onTimePaymentRate: real('on_time_payment_rate').notNull(),
    fulfilmentRate: real('fulfilment_rate').notNull(),
    overdueAmount: real('overdue_amount'),
    creditLimit: real('credit_limit'),
    importedAt: integer('imported_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.asOf] })],
);

/**
 * API and console tokens (`credit-monitor tokens`). The secret is never stored, only its SHA-256;
 * a revoked token keeps its row for the audit trail, and its name may be given to a new token.
 */
export const apiTokens = sqliteTable(
  'api_tokens',
  {
    // 16 lowercase hex digits, the public part of the token.
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    role: text('role').$type<Role>().notNull(),
    // SHA-256 (lowercase hex) of the token's secret part.
    secretHash: text('secret_hash').notNull(),
    createdAt: integer('created_at').notNull(),
    lastUsedAt: integer('last_used_at'),
    revokedAt: integer('revoked_at'),
  },
  (t) => [uniqueIndex('api_tokens_active_name_idx').on(t.name).where(sql`${t.revokedAt} IS NULL`)],
);
