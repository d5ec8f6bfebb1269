/** Reading the event history (the audit trail) and acknowledging events. */
import { and, desc, eq, gte, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { EventPageFilter, Page } from '../app/page-ports.js';
import { AppError } from '../errors.js';
import { TIERS, type Tier } from '../domain/events.js';
import { inWriteTransaction, type DatabaseHandle } from './database.js';
import type { EventView } from './event-view.js';
import { eventViewColumns, readEventPage, toEventViews } from './events-page.js';
import { customers, events } from './schema.js';
import { storeCall } from './store-error.js';

export type { EventView } from './event-view.js';

export interface EventQuery {
  /** Only the event with this id. */
  id?: string;
  /** Only events detected at or after this epoch ms. */
  since?: number;
  tier?: Tier;
  /** A normalised code. */
  uscc?: string;
  /** Default 100. */
  limit?: number;
}

export interface Acknowledgement {
  /** `already_acknowledged`: the first acknowledgement is kept and returned unchanged. */
  outcome: 'acknowledged' | 'already_acknowledged';
  acknowledgedBy: string;
  /** Epoch ms. */
  acknowledgedAt: number;
  note: string | null;
}

export interface EventsRepository {
  /** Events newest first, with their customer's code and name. */
  query(filter?: EventQuery): Promise<EventView[]>;
  /**
   * One page of events, newest first (detected_at, then id, both descending), with its customer's
   * code and name; `total` counts every event the filter matches, the cursor aside.
   * @throws AppError `USAGE` for a malformed cursor or a limit outside 1..500.
   */
  page(filter: EventPageFilter): Promise<Page<EventView>>;
  /**
   * Records who acknowledged an event, when (`at`, epoch ms) and why.
   * @throws AppError `NOT_FOUND` for an unknown event id.
   */
  acknowledge(id: string, by: string, note: string | null, at: number): Promise<Acknowledgement>;
  /** Events detected at or after `since` (epoch ms), by tier; every tier present, 0 when none. */
  countByTierSince(since: number): Promise<Record<Tier, number>>;
  /** The customer's unacknowledged tiers (for grouping a lower-tier event into a higher one). */
  unacknowledgedTiers(customerId: number): Promise<Tier[]>;
}

/** Creates the event repository over an open (and migrated) database. */
export function createEventsRepository(handle: DatabaseHandle): EventsRepository {
  const { db } = handle;

  return {
    query: ({ id, since, tier, uscc, limit = 100 } = {}) =>
      storeCall('cannot read events', () => {
        const conditions: SQL[] = [];
        if (id !== undefined) conditions.push(eq(events.id, id));
        if (since !== undefined) conditions.push(gte(events.detectedAt, since));
        if (tier !== undefined) conditions.push(eq(events.tier, tier));
        if (uscc !== undefined) conditions.push(eq(customers.uscc, uscc));
        const rows = db
          .select(eventViewColumns)
          .from(events)
          .innerJoin(customers, eq(customers.id, events.customerId))
          .where(and(...conditions))
          // Events of one check share detected_at; rowid keeps them in the order they were written.
          .orderBy(desc(events.detectedAt), desc(sql`${events}.rowid`))
          .limit(Math.max(0, Math.trunc(limit)))
          .all();
        return toEventViews(db, rows);
      }),

    page: (filter) => storeCall('cannot read events', () => readEventPage(db, filter)),

    acknowledge: (id, by, note, at) =>
      storeCall(`cannot acknowledge event ${id}`, () =>
        inWriteTransaction(handle, (): Acknowledgement => {
          const row = db
            .select({
              acknowledgedBy: events.acknowledgedBy,
              acknowledgedAt: events.acknowledgedAt,
              note: events.acknowledgementNote,
            })
            .from(events)
            .where(eq(events.id, id))
            .get();
          if (row === undefined) throw new AppError('NOT_FOUND', `event ${id} does not exist`);
          // The first acknowledgement is the evidence of who reacted and when; never overwrite it.
          if (row.acknowledgedAt !== null) {
            return {
              outcome: 'already_acknowledged',
              acknowledgedBy: row.acknowledgedBy ?? '',
              acknowledgedAt: row.acknowledgedAt,
              note: row.note,
            };
          }
          db.update(events)
            .set({ acknowledgedBy: by, acknowledgedAt: at, acknowledgementNote: note })
            .where(eq(events.id, id))
            .run();
          return { outcome: 'acknowledged', acknowledgedBy: by, acknowledgedAt: at, note };
        }),
      ),

    countByTierSince: (since) =>
      storeCall('cannot count events', () => {
        const counts = Object.fromEntries(TIERS.map((tier) => [tier, 0])) as Record<Tier, number>;
        const rows = db
          .select({ tier: events.tier, count: sql<number>`count(*)` })
          .from(events)
          // Every tier named: SQLite's planner then seeks each tier's range of the tier index instead
          // of reading that whole index for its order.
          .where(and(inArray(events.tier, [...TIERS]), gte(events.detectedAt, since)))
          .groupBy(events.tier)
          .all();
        for (const row of rows) counts[row.tier] = row.count;
        return counts;
      }),

    unacknowledgedTiers: (customerId) =>
      storeCall(`cannot read unacknowledged events of customer ${customerId}`, () =>
        db
          .selectDistinct({ tier: events.tier })
          .from(events)
          .where(and(eq(events.customerId, customerId), isNull(events.acknowledgedAt)))
          .all()
          .map((row) => row.tier),
      ),
  };
}
