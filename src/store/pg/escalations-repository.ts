/**
 * Re-notifying unacknowledged events on PostgreSQL (see `../escalations-repository.ts`). Each round
 * is a compare-and-set on the event's escalation count, so when several workers run the pass at
 * once exactly one of them records (and so sends) each round. A case's acknowledgement acknowledges
 * its lead event too, so a round racing it waits on that row and then matches nothing.
 */
import { and, asc, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import { escalatesWithItsCase, escalationDeliveries, type EscalationsRepository } from '../escalations-repository.js';
import { deliveries, events } from '../schema.pg.js';
import { inPgTransaction, type PgHandle } from './database.js';
import { pgCall } from './pg-error.js';

/** Creates the PostgreSQL implementation of {@link EscalationsRepository}. */
export function createPgEscalationsRepository(handle: PgHandle): EscalationsRepository {
  const { db } = handle;
  return {
    eventsToEscalate: (now, policy, limit) =>
      pgCall('cannot read events to escalate', async () =>
        policy.tiers.length === 0 || policy.maxTimes <= 0
          ? []
          : db
              .select({ id: events.id, escalationCount: events.escalationCount })
              .from(events)
              .where(
                and(
                  isNull(events.acknowledgedAt),
                  escalatesWithItsCase(events),
                  inArray(events.tier, [...policy.tiers]),
                  lt(events.escalationCount, policy.maxTimes),
                  or(
                    and(isNull(events.lastEscalatedAt), lt(events.detectedAt, now - policy.afterMs)),
                    lt(events.lastEscalatedAt, now - policy.afterMs),
                  ),
                ),
              )
              .orderBy(asc(events.detectedAt))
              .limit(limit),
      ),

    recordEscalation: (eventId, expectedCount, at, targets) =>
      pgCall(`cannot record the escalation of event ${eventId}`, () =>
        inPgTransaction(handle, async (tx) => {
          // A second worker's UPDATE waits on the first's row lock, then re-reads the count it moved
          // and matches nothing.
          const updated = await tx
            .update(events)
            .set({ escalationCount: expectedCount + 1, lastEscalatedAt: at })
            .where(and(eq(events.id, eventId), eq(events.escalationCount, expectedCount), isNull(events.acknowledgedAt), escalatesWithItsCase(events)))
            .returning({ id: events.id });
          if (updated.length === 0) return [];
          const rows = escalationDeliveries(eventId, expectedCount + 1, at, targets);
          if (rows.length > 0) await tx.insert(deliveries).values(rows).onConflictDoNothing();
          return rows.map((row) => row.id);
        }),
      ),
  };
}
