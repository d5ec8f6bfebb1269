/** One page of the event history on SQLite (API `GET /api/events`, the console's inbox), newest first. */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { EventPageFilter, Page } from '../app/page-ports.js';
import type { Db } from './database.js';
import { deadByEvent, toEventView, type EventView, type EventViewRow } from './event-view.js';
import { eventPageConditions, eventsAfter, type PageTables } from './page-conditions.js';
import { checkedPageLimit, decodeEventCursor, encodeEventCursor, pageOf } from './page-cursor.js';
import { customers, deliveries, events } from './schema.js';

type Reader = Pick<Db, 'select'>;

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
export function toEventViews(db: Reader, rows: readonly EventViewRow[]): EventView[] {
  const dead = new Map<string, NonNullable<EventView['deadDeliveries']>>();
  // Chunked: SQLite bounds the number of bound parameters per statement.
  for (let start = 0; start < rows.length; start += 500) {
    const ids = rows.slice(start, start + 500).map((row) => row.id);
    const found = db
      .select({ eventId: deliveries.eventId, channel: deliveries.channel, target: deliveries.target, error: deliveries.lastError })
      .from(deliveries)
      .where(and(inArray(deliveries.eventId, ids), eq(deliveries.status, 'dead')))
      .orderBy(asc(deliveries.channel), asc(deliveries.target))
      .all();
    deadByEvent(found, dead);
  }
  return rows.map((row) => toEventView(row, dead.get(row.id)));
}

/**
 * The statements of one page: its rows (one more than `limit`, to tell whether another page
 * follows) and the count of every match. Exported so a test can read their query plans.
 * @throws AppError `USAGE` for a malformed cursor or limit.
 */
export function eventPageQueries(db: Reader, filter: EventPageFilter) {
  const limit = checkedPageLimit(filter.limit);
  const after = filter.cursor === undefined ? undefined : eventsAfter(events, decodeEventCursor(filter.cursor));
  const matching = eventPageConditions(tables, filter);
  return {
    limit,
    rows: db
      .select(eventViewColumns)
      .from(events)
      .innerJoin(customers, eq(customers.id, events.customerId))
      .where(and(matching, after))
      .orderBy(desc(events.detectedAt), desc(events.id))
      .limit(limit + 1),
    count: db.select({ n: sql<number>`count(*)` }).from(events).where(matching),
  };
}

/** The events `filter` matches, newest first (detected_at, then id); its `total` leaves the cursor out. */
export function readEventPage(db: Db, filter: EventPageFilter): Page<EventView> {
  // One read transaction: the total counts the rows the page was read from.
  return db.transaction(
    (tx) => {
      const { limit, rows, count } = eventPageQueries(tx, filter);
      const page = pageOf(rows.all(), limit, (last) => encodeEventCursor(last));
      return { items: toEventViews(tx, page.items), total: count.get()?.n ?? 0, next: page.next };
    },
    { behavior: 'deferred' },
  );
}
