/**
 * Re-notifying unacknowledged events: the escalation count on each event (table events) and the
 * delivery rows of each round (deliveries on channel escalation). An event in a case is its case's
 * escalation: only the case's lead event is re-sent, and only while the case is open.
 */
import { and, asc, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Tier } from '../domain/events.js';
import { inWriteTransaction, type DatabaseHandle } from './database.js';
import { deliveryId } from './delivery-id.js';
import type { events as pgEvents } from './schema.pg.js';
import { deliveries, events } from './schema.js';
import { storeCall } from './store-error.js';

export interface EscalationPolicy {
  tiers: readonly Tier[];
  /** Time without acknowledgement before each re-notification, in ms. */
  afterMs: number;
  maxTimes: number;
}

export interface EscalationsRepository {
  /** Unacknowledged events due for re-notification at `now` (epoch ms). */
  eventsToEscalate(now: number, policy: EscalationPolicy, limit: number): Promise<Array<{ id: string; escalationCount: number }>>;
  /**
   * Counts one escalation of an event and writes its deliveries (channel "escalation"), in one
   * transaction; a no-op when the count moved meanwhile (another worker escalated it).
   */
  recordEscalation(
    eventId: string,
    expectedCount: number,
    at: number,
    targets: ReadonlyArray<{ channel: string; target: string }>,
  ): Promise<string[]>;
}

export function createEscalationsRepository(handle: DatabaseHandle): EscalationsRepository {
  const { db } = handle;
  return {
    eventsToEscalate: (now, policy, limit) =>
      storeCall('cannot read events to escalate', () =>
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
              .limit(limit)
              .all(),
      ),

    recordEscalation: (eventId, expectedCount, at, targets) =>
      storeCall(`cannot record the escalation of event ${eventId}`, () =>
        inWriteTransaction(handle, () => {
          const updated = db
            .update(events)
            .set({ escalationCount: expectedCount + 1, lastEscalatedAt: at })
            .where(and(eq(events.id, eventId), eq(events.escalationCount, expectedCount), isNull(events.acknowledgedAt), escalatesWithItsCase(events)))
            .run();
          if (updated.changes === 0) return [];
          const rows = escalationDeliveries(eventId, expectedCount + 1, at, targets);
          for (const row of rows) db.insert(deliveries).values(row).onConflictDoNothing().run();
          return rows.map((row) => row.id);
        }),
      ),
  };
}

/**
 * The event has no case, or it is its case's lead event and the case is still open: an acknowledged
 * or resolved case is not re-notified, and the other events of a case are re-sent as its lead.
 */
export function escalatesWithItsCase(t: typeof events | typeof pgEvents): SQL {
  return sql`(${t.caseId} IS NULL OR EXISTS (SELECT 1 FROM cases AS c WHERE c.id = ${t.caseId} AND c.lead_event_id = ${t.id} AND c.state = 'open'))`;
}

/**
 * The outbox rows of one escalation round. The round is part of the target ("boss@example.com#2"),
 * so each round is a delivery of its own.
 */
export function escalationDeliveries(
  eventId: string,
  round: number,
  at: number,
  targets: ReadonlyArray<{ channel: string; target: string }>,
): Array<typeof deliveries.$inferInsert & { id: string }> {
  return targets.map(({ channel, target }) => {
    const roundTarget = `${target}#${round}`;
    const id = deliveryId(eventId, channel, roundTarget);
    return { id, eventId, channel, target: roundTarget, status: 'pending', attempts: 0, nextAttemptAt: at, createdAt: at, updatedAt: at };
  });
}
