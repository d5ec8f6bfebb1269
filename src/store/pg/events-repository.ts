/** The event history on PostgreSQL (see `../events-repository.ts`). */
import { and, desc, eq, gte, isNull, sql, type SQL } from 'drizzle-orm';
import { AppError } from '../../errors.js';
import { TIERS, type Tier } from '../../domain/events.js';
import type { Acknowledgement, EventsRepository } from '../events-repository.js';
import { customers, events } from '../schema.pg.js';
import type { PgHandle } from './database.js';
import { eventViewColumns, readPgEventPage, toEventViews } from './events-page.js';
import { pgCall } from './pg-error.js';

/** Creates the PostgreSQL implementation of {@link EventsRepository}. */
export function createPgEventsRepository(handle: PgHandle): EventsRepository {
  const { db } = handle;

  return {
    query: ({ id, since, tier, uscc, limit = 100 } = {}) =>
      pgCall('cannot read events', async () => {
        const conditions: SQL[] = [];
        if (id !== undefined) conditions.push(eq(events.id, id));
        if (since !== undefined) conditions.push(gte(events.detectedAt, since));
        if (tier !== undefined) conditions.push(eq(events.tier, tier));
        if (uscc !== undefined) conditions.push(eq(customers.uscc, uscc));
        const rows = await db
          .select(eventViewColumns)
          .from(events)
          .innerJoin(customers, eq(customers.id, events.customerId))
          .where(and(...conditions))
          // Events of one check share detected_at; seq keeps them in the order they were written.
          .orderBy(desc(events.detectedAt), desc(events.seq))
          .limit(Math.max(0, Math.trunc(limit)));
        return toEventViews(db, rows);
      }),

    page: (filter) => pgCall('cannot read events', () => readPgEventPage(handle, filter)),

    acknowledge: (id, by, note, at) =>
      pgCall(`cannot acknowledge event ${id}`, async (): Promise<Acknowledgement> => {
        // Conditional, so two acknowledgements at once keep the first: the second waits on the row
        // lock, then finds acknowledged_at set and changes nothing.
        const updated = await db
          .update(events)
          .set({ acknowledgedBy: by, acknowledgedAt: at, acknowledgementNote: note })
          .where(and(eq(events.id, id), isNull(events.acknowledgedAt)))
          .returning({ id: events.id });
        if (updated.length > 0) return { outcome: 'acknowledged', acknowledgedBy: by, acknowledgedAt: at, note };
        const [row] = await db
          .select({ acknowledgedBy: events.acknowledgedBy, acknowledgedAt: events.acknowledgedAt, note: events.acknowledgementNote })
          .from(events)
          .where(eq(events.id, id));
        if (row === undefined) throw new AppError('NOT_FOUND', `event ${id} does not exist`);
        return { outcome: 'already_acknowledged', acknowledgedBy: row.acknowledgedBy ?? '', acknowledgedAt: row.acknowledgedAt ?? at, note: row.note };
      }),

    countByTierSince: (since) =>
      pgCall('cannot count events', async () => {
        const counts = Object.fromEntries(TIERS.map((tier) => [tier, 0])) as Record<Tier, number>;
        const rows = await db
          .select({ tier: events.tier, count: sql<number>`count(*)::int` })
          .from(events)
          .where(gte(events.detectedAt, since))
          .groupBy(events.tier);
        for (const row of rows) counts[row.tier] = row.count;
        return counts;
      }),

    unacknowledgedTiers: (customerId) =>
      pgCall(`cannot read unacknowledged events of customer ${customerId}`, async () => {
        const rows = await db
          .selectDistinct({ tier: events.tier })
          .from(events)
          .where(and(eq(events.customerId, customerId), isNull(events.acknowledgedAt)));
        return rows.map((row) => row.tier);
      }),
  };
}
