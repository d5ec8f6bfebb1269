/**
 * The SQLite schema (drizzle). Times are epoch milliseconds in INTEGER columns; JSON lives in TEXT.
 * `npm run db:generate` turns changes here into a committed migration under `migrations/`.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
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
  },
  (t) => [
    check('events_tier_check', sql`${t.tier} IN ('critical', 'high', 'medium', 'low', 'info')`),
    index('events_detected_at_idx').on(t.detectedAt),
    index('events_customer_id_detected_at_idx').on(t.customerId, t.detectedAt),
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

export const auditLog = sqliteTable('audit_log', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  at: integer('at').notNull(),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  subject: text('subject').notNull(),
  details: text('details', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
});

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
