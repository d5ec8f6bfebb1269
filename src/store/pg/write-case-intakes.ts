/**
 * The case part of a batch of checks (or a grade) on PostgreSQL, set-based: each check's new events
 * at or above `cases.openAt` join its customer's case not yet resolved, or open one (CaseIntake).
 */
import { asc, sql } from 'drizzle-orm';
import type { CaseIntake } from '../../app/case-ports.js';
import type { StoredEvent } from '../../app/ports.js';
import type { Tier } from '../../domain/events.js';
import type { CaseJoined } from '../case-intake-writes.js';
import { countedIntake, moreSevere, openedCaseRow } from '../case-rows.js';
import { auditLog, cases } from '../schema.pg.js';
import { anyOf } from './any-of.js';
import { chunked } from './chunked.js';
import type { PgExecutor } from './database.js';
import { insertDeliveries, insertEvents, ROWS_PER_STATEMENT, type FrozenCustomer } from './write-outbox.js';

/** Each customer's case not yet resolved: its id and tier, kept up to date as a batch opens and joins cases. */
export type UnresolvedCases = Map<number, { id: string; tier: Tier }>;

export interface IntakeToWrite {
  customerId: number;
  intake: CaseIntake;
  /** The check's events and the ids of those it inserted. */
  events: readonly StoredEvent[];
  newEventIds: readonly string[];
  /** Epoch ms: the check's time, for the audit entry and the `case.opened` outbox rows. */
  at: number;
  customer: FrozenCustomer | undefined;
}

/**
 * Locks the customers' cases not yet resolved (FOR NO KEY UPDATE, in id order). The caller has
 * locked the customers' rows first, so two checks of one customer never get here together; the lock
 * makes a case's acknowledgement or resolution and a check joining it take turns, and in READ
 * COMMITTED a case resolved while this waited is no longer matched (a new one opens instead).
 */
export async function lockUnresolvedCases(tx: PgExecutor, customerIds: readonly number[]): Promise<UnresolvedCases> {
  if (customerIds.length === 0) return new Map();
  const rows = await tx
    .select({ id: cases.id, customerId: cases.customerId, tier: cases.tier })
    .from(cases)
    .where(sql`${anyOf(cases.customerId, customerIds, 'integer')} AND ${cases.state} <> 'resolved'`)
    .orderBy(asc(cases.id))
    .for('no key update');
  return new Map(rows.map(({ id, customerId, tier }) => [customerId, { id, tier }]));
}

/**
 * Applies each intake (at most one per customer: a round of writeChecks) in the caller's
 * transaction, against and into `unresolved`; answers, in order, the case each joined or opened.
 */
export async function writeCaseIntakes(
  tx: PgExecutor,
  items: readonly IntakeToWrite[],
  unresolved: UnresolvedCases,
): Promise<Array<CaseJoined | undefined>> {
  const results: Array<CaseJoined | undefined> = [];
  const opened: Array<{ item: IntakeToWrite; row: typeof cases.$inferInsert }> = [];
  const joins: Array<{ eventId: string; caseId: string }> = [];
  const raised: Array<{ caseId: string; tier: Tier; leadEventId: string }> = [];
  const audits: Array<typeof auditLog.$inferInsert> = [];
  for (const item of items) {
    const counted = countedIntake(item.intake, item.events, item.newEventIds);
    if (counted === undefined) {
      results.push(undefined);
      continue;
    }
    const current = unresolved.get(item.customerId);
    let joined: CaseJoined;
    if (current === undefined) {
      opened.push({ item, row: openedCaseRow(item.customerId, item.intake, counted.lead) });
      unresolved.set(item.customerId, { id: item.intake.open.id, tier: counted.lead.tier });
      joined = { caseId: item.intake.open.id, caseOpened: true };
    } else {
      if (moreSevere(counted.lead.tier, current.tier)) {
        raised.push({ caseId: current.id, tier: counted.lead.tier, leadEventId: counted.lead.id });
        current.tier = counted.lead.tier;
      }
      joined = { caseId: current.id, caseOpened: false };
    }
    for (const eventId of counted.eventIds) joins.push({ eventId, caseId: joined.caseId });
    audits.push({
      at: item.at,
      actor: 'system',
      action: joined.caseOpened ? 'case.opened' : 'case.joined',
      subject: joined.caseId,
      details: { eventIds: counted.eventIds },
    });
    results.push(joined);
  }
  if (audits.length === 0) return results;
  for (const chunk of chunked(opened, ROWS_PER_STATEMENT)) await tx.insert(cases).values(chunk.map(({ row }) => row));
  await insertEvents(tx, opened.map(({ item }) => ({ event: item.intake.open.event, snapshotId: null, customer: item.customer, caseId: item.intake.open.id })));
  await insertDeliveries(tx, opened.flatMap(({ item }) => item.intake.open.deliveries.map((draft) => ({ draft, at: item.at }))));
  await tx.execute(sql`
    UPDATE events SET case_id = v.case_id
    FROM unnest(${sql.param(joins.map((j) => j.eventId))}::text[], ${sql.param(joins.map((j) => j.caseId))}::text[]) AS v(id, case_id)
    WHERE events.id = v.id`);
  if (raised.length > 0) {
    await tx.execute(sql`
      UPDATE cases SET tier = v.tier, lead_event_id = v.lead_event_id
      FROM unnest(${sql.param(raised.map((r) => r.caseId))}::text[], ${sql.param(raised.map((r) => r.tier))}::text[],
        ${sql.param(raised.map((r) => r.leadEventId))}::text[]) AS v(id, tier, lead_event_id)
      WHERE cases.id = v.id`);
  }
  for (const chunk of chunked(audits, ROWS_PER_STATEMENT)) await tx.insert(auditLog).values(chunk);
  return results;
}
