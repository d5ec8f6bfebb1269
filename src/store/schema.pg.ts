/**
 * The PostgreSQL schema (drizzle): the same tables, columns and constraints as `schema.ts`, in
 * PostgreSQL's types. Times are epoch milliseconds in BIGINT (read back as numbers: every time fits
 * in 2^53); JSON lives in JSONB. `npm run db:generate:pg` turns changes here into a committed
 * migration under `migrations/pg/`. A change to one schema is made to the other in the same commit.
 */
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, doublePrecision, index, integer, jsonb, pgTable, primaryKey, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { Role } from '../domain/api-tokens.js';
import type { CaseDecision, CaseState } from '../domain/cases.js';
import type { EventType, Tier } from '../domain/events.js';
import type { Grade } from '../domain/grades.js';
import type { SectionMethods } from '../domain/method.js';
import type { Snapshot } from '../domain/snapshot.js';
import type { DeliveryStatus, EventPayload, RescanKind } from './schema.js';

const epochMs = (name: string) => bigint(name, { mode: 'number' });

export const customers = pgTable(
  'customers',
  {
    id: serial('id').primaryKey(),
    uscc: text('uscc').notNull().unique(),
    name: text('name').notNull(),
    tags: jsonb('tags').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    paused: boolean('paused').notNull().default(false),
    createdAt: epochMs('created_at').notNull(),
    updatedAt: epochMs('updated_at').notNull(),
    removedAt: epochMs('removed_at'),
    lastCheckedAt: epochMs('last_checked_at'),
    nextCheckAt: epochMs('next_check_at'),
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    lastError: text('last_error'),
    degraded: boolean('degraded').notNull().default(false),
    queuedAt: epochMs('queued_at'),
    grade: text('grade').$type<Grade>().notNull().default('unrated'),
    gradeRule: text('grade_rule'),
    gradedAt: epochMs('graded_at'),
  },
  (t) => [
    index('customers_next_check_at_idx').on(t.nextCheckAt),
    index('customers_tags_idx').using('gin', t.tags),
    index('customers_grade_idx').on(t.grade),
  ],
);

export const cases = pgTable(
  'cases',
  {
    id: text('id').primaryKey(),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    state: text('state').$type<CaseState>().notNull(),
    tier: text('tier').$type<Tier>().notNull(),
    leadEventId: text('lead_event_id').notNull(),
    openedAt: epochMs('opened_at').notNull(),
    assignee: text('assignee'),
    acknowledgedAt: epochMs('acknowledged_at'),
    acknowledgedBy: text('acknowledged_by'),
    acknowledgementNote: text('acknowledgement_note'),
    resolvedAt: epochMs('resolved_at'),
    resolvedBy: text('resolved_by'),
    decision: text('decision').$type<CaseDecision>(),
    resolutionNote: text('resolution_note'),
    acknowledgeDueDay: text('acknowledge_due_day').notNull(),
    acknowledgeDueAt: epochMs('acknowledge_due_at').notNull(),
    acknowledgeDueProvisional: boolean('acknowledge_due_provisional').notNull(),
    resolveDueDay: text('resolve_due_day').notNull(),
    resolveDueAt: epochMs('resolve_due_at').notNull(),
    resolveDueProvisional: boolean('resolve_due_provisional').notNull(),
    acknowledgeOverdueAt: epochMs('acknowledge_overdue_at'),
    resolveOverdueAt: epochMs('resolve_overdue_at'),
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
    index('cases_acknowledge_due_at_idx').on(t.acknowledgeDueAt).where(sql`${t.state} = 'open' AND ${t.acknowledgeOverdueAt} IS NULL`),
    index('cases_resolve_due_at_idx').on(t.resolveDueAt).where(sql`${t.state} <> 'resolved' AND ${t.resolveOverdueAt} IS NULL`),
  ],
);

export const snapshots = pgTable(
  'snapshots',
  {
    id: serial('id').primaryKey(),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    takenAt: epochMs('taken_at').notNull(),
    hash: text('hash').notNull(),
    provider: text('provider').notNull(),
    providerVersion: text('provider_version').notNull(),
    normaliserVersion: integer('normaliser_version').notNull(),
    sectionMethods: jsonb('section_methods').$type<SectionMethods>(),
    body: jsonb('body').$type<Snapshot>().notNull(),
  },
  (t) => [index('snapshots_customer_id_id_idx').on(t.customerId, t.id)],
);

export const events = pgTable(
  'events',
  {
    id: text('id').primaryKey(),
    // Insertion order, which SQLite keeps in its rowid: the tie-break of events detected in the same
    // millisecond. Not part of the shared contract (`db copy` leaves it to the destination).
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    snapshotId: integer('snapshot_id').references(() => snapshots.id),
    type: text('type').$type<EventType>().notNull(),
    tier: text('tier').$type<Tier>().notNull(),
    baseline: boolean('baseline').notNull(),
    detectedAt: epochMs('detected_at').notNull(),
    source: text('source').notNull(),
    payload: jsonb('payload').$type<EventPayload>().notNull(),
    acknowledgedBy: text('acknowledged_by'),
    acknowledgedAt: epochMs('acknowledged_at'),
    acknowledgementNote: text('acknowledgement_note'),
    escalationCount: integer('escalation_count').notNull().default(0),
    lastEscalatedAt: epochMs('last_escalated_at'),
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
    uniqueIndex('events_seq_idx').on(t.seq),
    index('events_case_id_idx').on(t.caseId),
  ],
);

export const deliveries = pgTable(
  'deliveries',
  {
    id: text('id').primaryKey(),
    eventId: text('event_id')
      .notNull()
      .references(() => events.id),
    channel: text('channel').notNull(),
    target: text('target').notNull(),
    status: text('status').$type<DeliveryStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: epochMs('next_attempt_at'),
    lastError: text('last_error'),
    createdAt: epochMs('created_at').notNull(),
    updatedAt: epochMs('updated_at').notNull(),
    sentAt: epochMs('sent_at'),
  },
  (t) => [
    check('deliveries_status_check', sql`${t.status} IN ('pending', 'sent', 'dead')`),
    uniqueIndex('deliveries_event_id_channel_target_idx').on(t.eventId, t.channel, t.target),
    index('deliveries_status_next_attempt_at_idx').on(t.status, t.nextAttemptAt),
    // The relay's claim reads only pending rows, a small part of the table once it has run a while.
    index('deliveries_pending_next_attempt_at_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
  ],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: serial('id').primaryKey(),
    at: epochMs('at').notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    subject: text('subject').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [index('audit_log_subject_id_idx').on(t.subject, t.id)],
);

export const meta = pgTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const webhookTargets = pgTable('webhook_targets', {
  name: text('name').primaryKey(),
  disabledAt: epochMs('disabled_at'),
  disabledReason: text('disabled_reason'),
});

export const digests = pgTable('digests', {
  period: text('period').primaryKey(),
  sentAt: epochMs('sent_at').notNull(),
  eventCount: integer('event_count').notNull(),
});

export const rescanRequests = pgTable(
  'rescan_requests',
  {
    // serial never reuses an id, like SQLite's AUTOINCREMENT.
    id: serial('id').primaryKey(),
    requestedAt: epochMs('requested_at').notNull(),
    requestedBy: text('requested_by').notNull(),
    kind: text('kind').$type<RescanKind>().notNull(),
    uscc: text('uscc'),
    tag: text('tag'),
    force: boolean('force').notNull().default(false),
  },
  (t) => [
    check(
      'rescan_requests_kind_check',
      sql`(${t.kind} = 'uscc' AND ${t.uscc} IS NOT NULL) OR (${t.kind} = 'tag' AND ${t.tag} IS NOT NULL) OR ${t.kind} = 'all'`,
    ),
  ],
);

export const deliveryTargets = pgTable(
  'delivery_targets',
  {
    channel: text('channel').notNull(),
    target: text('target').notNull(),
    lastAttemptAt: epochMs('last_attempt_at').notNull(),
    lastSentAt: epochMs('last_sent_at'),
    failingSince: epochMs('failing_since'),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [primaryKey({ columns: [t.channel, t.target] })],
);

export const gradeHistory = pgTable(
  'grade_history',
  {
    id: serial('id').primaryKey(),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    at: epochMs('at').notNull(),
    grade: text('grade').$type<Grade>().notNull(),
    previousGrade: text('previous_grade').$type<Grade>().notNull(),
    rule: text('rule'),
  },
  (t) => [index('grade_history_customer_id_id_idx').on(t.customerId, t.id)],
);

export const tradingFigures = pgTable(
  'trading_figures',
  {
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    asOf: text('as_of').notNull(),
    onTimePaymentRate: doublePrecision('on_time_payment_rate').notNull(),
    fulfilmentRate: doublePrecision('fulfilment_rate').notNull(),
    overdueAmount: doublePrecision('overdue_amount'),
    creditLimit: doublePrecision('credit_limit'),
    importedAt: epochMs('imported_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.asOf] })],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    role: text('role').$type<Role>().notNull(),
    secretHash: text('secret_hash').notNull(),
    createdAt: epochMs('created_at').notNull(),
    lastUsedAt: epochMs('last_used_at'),
    revokedAt: epochMs('revoked_at'),
  },
  (t) => [uniqueIndex('api_tokens_active_name_idx').on(t.name).where(sql`${t.revokedAt} IS NULL`)],
);
