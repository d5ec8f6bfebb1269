/** Events and their outbox rows on PostgreSQL, set-based: one INSERT per chunk, whoever writes them. */
import type { DeliveryDraft, StoredEvent } from '../../app/ports.js';
import { eventPayload } from '../check-rows.js';
import { deliveryId } from '../delivery-id.js';
import type { EventPayload } from '../schema.js';
import { deliveries, events } from '../schema.pg.js';
import { chunked } from './chunked.js';
import type { PgExecutor } from './database.js';

/** The customer as frozen into its events' payloads. */
export type FrozenCustomer = NonNullable<EventPayload['customer']>;

// Rows per INSERT: 1000 events × 9 columns stays far below PostgreSQL's 65535 parameters.
export const ROWS_PER_STATEMENT = 1000;

export interface EventToInsert {
  event: StoredEvent;
  snapshotId: number | null;
  customer: FrozenCustomer | undefined;
  /** The case the event belongs to (case events written with their case); absent: none yet. */
  caseId?: string;
}

/** Inserts the events (an id that exists already is skipped); returns the ids that were new. */
export async function insertEvents(tx: PgExecutor, list: readonly EventToInsert[]): Promise<Set<string>> {
  const rows = list.map(({ event, snapshotId, customer, caseId }) => ({ ...eventRow(event, snapshotId, customer), caseId: caseId ?? null }));
  const inserted = new Set<string>();
  for (const chunk of chunked(rows, ROWS_PER_STATEMENT)) {
    const returned = await tx.insert(events).values(chunk).onConflictDoNothing({ target: events.id }).returning({ id: events.id });
    for (const { id } of returned) inserted.add(id);
  }
  return inserted;
}

/** Inserts pending outbox rows, due at `at` (epoch ms). */
export async function insertDeliveries(tx: PgExecutor, list: ReadonlyArray<{ draft: DeliveryDraft; at: number }>): Promise<void> {
  const rows = list.map(({ draft, at }) => ({
    id: deliveryId(draft.eventId, draft.channel, draft.target),
    eventId: draft.eventId,
    channel: draft.channel,
    target: draft.target,
    status: 'pending' as const,
    attempts: 0,
    nextAttemptAt: at,
    createdAt: at,
    updatedAt: at,
  }));
  for (const chunk of chunked(rows, ROWS_PER_STATEMENT)) {
    // Any conflict (same id or same triple) means this delivery is already in the outbox.
    await tx.insert(deliveries).values(chunk).onConflictDoNothing();
  }
}

function eventRow(event: StoredEvent, snapshotId: number | null, customer: FrozenCustomer | undefined): typeof events.$inferInsert {
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
