/** Reading the event history (the audit trail) and acknowledging events. */
import { and, asc, desc, eq, gte, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { AppError } from '../errors.js';
import { TIERS, type EventEntry, type EventType, type FieldChange, type Tier } from '../domain/events.js';
import { inWriteTransaction, type DatabaseHandle } from './database.js';
import { customers, deliveries, events } from './schema.js';
import { storeCall } from './store-error.js';

/** One event as `credit-monitor events --json` prints it (DESIGN "Contract details"). */
export interface EventView {
  id: string;
  type: EventType;
  tier: Tier;
  baseline: boolean;
  /** ISO 8601, UTC. */
  detectedAt: string;
  customer: { uscc: string; name: string };
  change?: FieldChange;
  entry?: EventEntry;
  evidence?: 'removal_date' | 'missing';
  /** ISO 8601, UTC. */
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  /** Deliveries of this event that gave up (re-drivable with `alerts redrive`); absent when none. */
  deadDeliveries?: Array<{ channel: string; target: string; error: string | null }>;
}

export interface EventQuery {
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
    query: ({ since, tier, uscc, limit = 100 } = {}) =>
      storeCall('cannot read events', () => {
        const conditions: SQL[] = [];
        if (since !== undefined) conditions.push(gte(events.detectedAt, since));
        if (tier !== undefined) conditions.push(eq(events.tier, tier));
        if (uscc !== undefined) conditions.push(eq(customers.uscc, uscc));
        const rows = db
          .select({
            id: events.id,
            type: events.type,
            tier: events.tier,
            baseline: events.baseline,
            detectedAt: events.detectedAt,
            payload: events.payload,
            acknowledgedAt: events.acknowledgedAt,
            acknowledgedBy: events.acknowledgedBy,
            uscc: customers.uscc,
            name: customers.name,
          })
          .from(events)
          .innerJoin(customers, eq(customers.id, events.customerId))
          .where(and(...conditions))
          // Events of one check share detected_at; rowid keeps them in the order they were written.
          .orderBy(desc(events.detectedAt), desc(sql`${events}.rowid`))
          .limit(Math.max(0, Math.trunc(limit)))
          .all();
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
          for (const { eventId, ...delivery } of found) dead.set(eventId, [...(dead.get(eventId) ?? []), delivery]);
        }
        return rows.map((row): EventView => {
          const view: EventView = {
            id: row.id,
            type: row.type,
            tier: row.tier,
            baseline: row.baseline,
            detectedAt: new Date(row.detectedAt).toISOString(),
            customer: { uscc: row.uscc, name: row.name },
          };
          const { change, entry, evidence } = row.payload;
          if (change !== undefined) view.change = change;
          if (entry !== undefined) view.entry = entry;
          if (evidence !== undefined) view.evidence = evidence;
          if (row.acknowledgedAt !== null) view.acknowledgedAt = new Date(row.acknowledgedAt).toISOString();
          if (row.acknowledgedBy !== null) view.acknowledgedBy = row.acknowledgedBy;
          const failed = dead.get(row.id);
          if (failed !== undefined) view.deadDeliveries = failed;
          return view;
        });
      }),

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
          .where(gte(events.detectedAt, since))
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
