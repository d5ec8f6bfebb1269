/**
 * Pure mappings between cases and their rows, and the rule of a check's case intake, shared by the
 * SQLite and the PostgreSQL stores so that both write and read the same shapes.
 */
import type { CaseIntake } from '../app/case-ports.js';
import type { StoredEvent } from '../app/ports.js';
import type { CaseRecord } from '../domain/cases.js';
import { TIERS, type Tier } from '../domain/events.js';
import type { cases } from './schema.js';

/** A cases row as both dialects' drizzle schemas read it. */
export type CaseRow = typeof cases.$inferSelect;

export function toCaseRecord(row: CaseRow, customer: { uscc: string; name: string }): CaseRecord {
  return {
    id: row.id,
    customerId: row.customerId,
    uscc: customer.uscc,
    customerName: customer.name,
    state: row.state,
    tier: row.tier,
    leadEventId: row.leadEventId,
    openedAt: row.openedAt,
    assignee: row.assignee,
    acknowledgedAt: row.acknowledgedAt,
    acknowledgedBy: row.acknowledgedBy,
    acknowledgementNote: row.acknowledgementNote,
    resolvedAt: row.resolvedAt,
    resolvedBy: row.resolvedBy,
    decision: row.decision,
    resolutionNote: row.resolutionNote,
    acknowledgeDue: { day: row.acknowledgeDueDay, dueAt: row.acknowledgeDueAt, provisional: row.acknowledgeDueProvisional },
    resolveDue: { day: row.resolveDueDay, dueAt: row.resolveDueAt, provisional: row.resolveDueProvisional },
    overdueRaisedAt: { acknowledge: row.acknowledgeOverdueAt, resolve: row.resolveOverdueAt },
  };
}

/** What of a check's intake counts: its events the check inserted, in its order, and the most severe of them. */
export interface CountedIntake {
  eventIds: string[];
  lead: { id: string; tier: Tier };
}

/**
 * The intake's events among `newEventIds` (a re-run inserts none: then undefined, and nothing
 * happens). The lead is the intake's when it is among them; otherwise the first most severe of them.
 */
export function countedIntake(intake: CaseIntake, events: readonly StoredEvent[], newEventIds: readonly string[]): CountedIntake | undefined {
  const inserted = new Set(newEventIds);
  const eventIds = intake.eventIds.filter((id) => inserted.has(id));
  if (eventIds.length === 0) return undefined;
  if (eventIds.includes(intake.leadEventId)) {
    return { eventIds, lead: { id: intake.leadEventId, tier: intake.leadTier } };
  }
  const tiers = new Map(events.map((event) => [event.id, event.tier]));
  let lead: CountedIntake['lead'] | undefined;
  for (const id of eventIds) {
    const tier = tiers.get(id) ?? intake.leadTier;
    if (lead === undefined || moreSevere(tier, lead.tier)) lead = { id, tier };
  }
  return lead === undefined ? undefined : { eventIds, lead };
}

/** Whether `a` is a more severe tier than `b` (critical is the most severe). */
export function moreSevere(a: Tier, b: Tier): boolean {
  return TIERS.indexOf(a) < TIERS.indexOf(b);
}

/** The row of a case opened by an intake, led by its counted lead. */
export function openedCaseRow(customerId: number, intake: CaseIntake, lead: CountedIntake['lead']): typeof cases.$inferInsert {
  const { open } = intake;
  return {
    id: open.id,
    customerId,
    state: 'open',
    tier: lead.tier,
    leadEventId: lead.id,
    openedAt: open.openedAt,
    acknowledgeDueDay: open.acknowledgeDue.day,
    acknowledgeDueAt: open.acknowledgeDue.dueAt,
    acknowledgeDueProvisional: open.acknowledgeDue.provisional,
    resolveDueDay: open.resolveDue.day,
    resolveDueAt: open.resolveDue.dueAt,
    resolveDueProvisional: open.resolveDue.provisional,
  };
}
