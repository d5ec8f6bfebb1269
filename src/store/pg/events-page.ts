/** One page of the event history on PostgreSQL (see `../events-page.ts`), newest first. */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { EventPageFilter, Page } from '../../app/page-ports.js';
import { deadByEvent, toEventView, type EventView, type EventViewRow } from '../event-view.js';
import { eventPageConditions, eventsAfter, type PageTables } from '../page-conditions.js';
import { checkedPageLimit, decodeEventCursor, encodeEventCursor, pageOf } from '../page-cursor.js';
import { customers, deliveries, events } from '../schema.pg.js';
import { anyOf } from './any-of.js';
import type { PgExecutor, PgHandle } from './database.js';

/** What an event's view is read from (events joined with their customer). */
export const eventViewColumns = {
  id: events.id,
  type: events.type,
  tier: events.tier,
  baseline: events.baseline,
  detectedAt: events.detectedAt,
  payload: events.payload,
  acknowledgedAt: events.acknowledgedAt,
  acknowledgedBy: events.acknowledgedBy,
  caseId: events.caseId,
  uscc: customers.uscc,
  name: customers.name,
};

const tables: PageTables = { customers, events };

/** The views of `rows`, with their dead deliveries. */
export async function toEventViews(executor: PgExecutor, rows: readonly EventViewRow[]): Promise<EventView[]> {
  if (rows.length === 0) return [];
  const dead = await executor
    .select({ eventId: deliveries.eventId, channel: deliveries.channel, target: deliveries.target, error: deliveries.lastError })
    .from(deliveries)
    .where(and(anyOf(deliveries.eventId, rows.map((row) => row.id), 'text'), eq(deliveries.status, 'dead')))
    .orderBy(asc(deliveries.channel), asc(deliveries.target));
  const byEvent = deadByEvent(dead);
  return rows.map((row) => toEventView(row, byEvent.get(row.id)));
}

/**
 * The statements of one page: its rows (one more than `limit`, to tell whether another page
 * follows) and the count of every match. Exported so a test can read their query plans.
 * @throws AppError `USAGE` for a malformed cursor or limit.
 */
export function eventPageQueries(executor: PgExecutor, filter: EventPageFilter) {
  const limit = checkedPageLimit(filter.limit);
  const after = filter.cursor === undefined ? undefined : eventsAfter(events, decodeEventCursor(filter.cursor));
  const matching = eventPageConditions(tables, filter);
  return {
    limit,
    rows: executor
      .select(eventViewColumns)
      .from(events)
      .innerJoin(customers, eq(customers.id, events.customerId))
      .where(and(matching, after))
      .orderBy(desc(events.detectedAt), desc(events.id))
      .limit(limit + 1),
    count: executor.select({ n: sql<number>`count(*)::int` }).from(events).where(matching),
  };
}

/** The events `filter` matches, newest first (detected_at, then id); its `total` leaves the cursor out. All read one snapshot. */
export function readPgEventPage(handle: PgHandle, filter: EventPageFilter): Promise<Page<EventView>> {
  return handle.db.transaction(
    async (tx) => {
      const { limit, rows, count } = eventPageQueries(tx, filter);
      const page = pageOf(await rows, limit, (last) => encodeEventCursor(last));
      const [total] = await count;
      return { items: await toEventViews(tx, page.items), total: total?.n ?? 0, next: page.next };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}
