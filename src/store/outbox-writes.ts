/** Events and their outbox rows on SQLite, whoever writes them (a check, a grade, a case); the caller holds the transaction. */
import { eq, sql } from 'drizzle-orm';
import type { DeliveryDraft, StoredEvent } from '../app/ports.js';
import { eventPayload } from './check-rows.js';
import type { DatabaseHandle } from './database.js';
import { deliveryId } from './delivery-id.js';
import { customers, deliveries, events, type EventPayload } from './schema.js';

export interface OutboxWrites {
  /**
   * Inserts the events (an id that exists is skipped) with the customer as it is now frozen into
   * each, in case `caseId` when given; returns the ids that were new, in order.
   */
  insertEvents(customerId: number, list: readonly StoredEvent[], snapshotId: number | null, caseId?: string): string[];
  /** Inserts pending outbox rows due at `at` (epoch ms); one already there is skipped. */
  insertDeliveries(drafts: readonly DeliveryDraft[], at: number): void;
}

export function createOutboxWrites(handle: DatabaseHandle): OutboxWrites {
  const { db } = handle;
  // Prepared once: every check runs it (drizzle would otherwise re-prepare it on each call).
  const customerById = db
    .select({ uscc: customers.uscc, name: customers.name, tags: customers.tags })
    .from(customers)
    .where(eq(customers.id, sql.placeholder('customerId')))
    .prepare();

  return {
    insertEvents: (customerId, list, snapshotId, caseId) => {
      const newEventIds: string[] = [];
      const customer = customerById.get({ customerId });
      for (const event of list) {
        const result = db
          .insert(events)
          .values({ ...eventRow(event, snapshotId, customer), caseId: caseId ?? null })
          .onConflictDoNothing({ target: events.id })
          .run();
        if (result.changes > 0) newEventIds.push(event.id);
      }
      return newEventIds;
    },

    insertDeliveries: (drafts, at) => {
      for (const draft of drafts) {
        db.insert(deliveries)
          .values({
            id: deliveryId(draft.eventId, draft.channel, draft.target),
            eventId: draft.eventId,
            channel: draft.channel,
            target: draft.target,
            status: 'pending',
            attempts: 0,
            nextAttemptAt: at,
            createdAt: at,
            updatedAt: at,
          })
          // Any conflict (same id or same triple) means this delivery is already in the outbox.
          .onConflictDoNothing()
          .run();
      }
    },
  };
}

function eventRow(event: StoredEvent, snapshotId: number | null, customer: EventPayload['customer']): typeof events.$inferInsert {
  return {
    id: event.id,
    customerId: event.customerId,
    snapshotId,
    type: event.type,
    tier: event.tier,
    baseline: event.baseline,
    detectedAt: event.detectedAt,
    source: event.source,
    payload: eventPayload(event, customer),
  };
}
