/**
 * The case part of a check's (or a grade's) transaction on SQLite: its new events at or above
 * `cases.openAt` join the customer's case not yet resolved, or open one (CaseIntake).
 */
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { CaseIntake } from '../app/case-ports.js';
import type { StoredEvent } from '../app/ports.js';
import { countedIntake, moreSevere, openedCaseRow } from './case-rows.js';
import type { DatabaseHandle } from './database.js';
import type { OutboxWrites } from './outbox-writes.js';
import { auditLog, cases, events } from './schema.js';

/** The case a check's new events joined, and whether they opened it. */
export interface CaseJoined {
  caseId: string;
  caseOpened: boolean;
}

export interface CaseIntakeWrites {
  /**
   * Applies `intake` to the check's new events (`newEventIds` of `list`) at `at` (epoch ms); the
   * caller holds the write transaction. Undefined when none of the intake's events is new.
   */
  apply(customerId: number, intake: CaseIntake, list: readonly StoredEvent[], newEventIds: readonly string[], at: number): CaseJoined | undefined;
}

export function createCaseIntakeWrites(handle: DatabaseHandle, outbox: OutboxWrites): CaseIntakeWrites {
  const { db } = handle;
  const unresolved = db
    .select({ id: cases.id, tier: cases.tier })
    .from(cases)
    // The partial unique index's own condition, so SQLite reads that index.
    .where(and(eq(cases.customerId, sql.placeholder('customerId')), ne(cases.state, 'resolved')))
    .prepare();

  return {
    apply: (customerId, intake, list, newEventIds, at) => {
      const counted = countedIntake(intake, list, newEventIds);
      if (counted === undefined) return undefined;
      const current = unresolved.get({ customerId });
      let joined: CaseJoined;
      if (current === undefined) {
        db.insert(cases).values(openedCaseRow(customerId, intake, counted.lead)).run();
        outbox.insertEvents(customerId, [intake.open.event], null, intake.open.id);
        outbox.insertDeliveries(intake.open.deliveries, at);
        joined = { caseId: intake.open.id, caseOpened: true };
      } else {
        if (moreSevere(counted.lead.tier, current.tier)) {
          db.update(cases).set({ tier: counted.lead.tier, leadEventId: counted.lead.id }).where(eq(cases.id, current.id)).run();
        }
        joined = { caseId: current.id, caseOpened: false };
      }
      // Chunked: SQLite bounds the number of bound parameters per statement.
      for (let start = 0; start < counted.eventIds.length; start += 500) {
        db.update(events).set({ caseId: joined.caseId }).where(inArray(events.id, counted.eventIds.slice(start, start + 500))).run();
      }
      db.insert(auditLog)
        .values({
          at,
          actor: 'system',
          action: joined.caseOpened ? 'case.opened' : 'case.joined',
          subject: joined.caseId,
          details: { eventIds: counted.eventIds },
        })
        .run();
      return joined;
    },
  };
}
