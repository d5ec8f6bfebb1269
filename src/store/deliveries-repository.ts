/** The outbox: deliveries of events to channels, written by recordCheck, worked off by the deliverer. */
import { and, asc, eq, inArray, isNotNull, isNull, lte, ne, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { AppError } from '../errors.js';
import { inWriteTransaction, type DatabaseHandle } from './database.js';
import { failingTargets, recordTargetAttempt, type FailingTarget } from './delivery-targets.js';
import { toEventMessage, type StoredEventMessage } from './event-message.js';
import { customers, deliveries, events, webhookTargets, type DeliveryStatus } from './schema.js';
import { storeCall } from './store-error.js';

export interface DeliveryRecord {
  /** Stable: see `deliveryId`. */
  id: string;
  eventId: string;
  channel: string;
  target: string;
  status: DeliveryStatus;
  attempts: number;
  /** Epoch ms when a pending delivery is next due; null once sent or dead. */
  nextAttemptAt: number | null;
  lastError: string | null;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms. */
  updatedAt: number;
  /** Epoch ms. */
  sentAt: number | null;
}

/**
 * The rows this process can send now: on one of `channels` (those it has configured), and never to a
 * webhook target an operator must re-enable (it answered 410 Gone). The one place this rule lives.
 */
export interface SendableFilter {
  channels: readonly string[];
}

export interface DeliveriesRepository {
  findDelivery(id: string): Promise<DeliveryRecord | undefined>;
  /** The message every channel sends for an event; the same bytes on every call. */
  eventMessage(eventId: string): Promise<StoredEventMessage | undefined>;
  /** Pending deliveries of these events (right after a check, to enqueue them at once); with `sendable` only those. */
  listPendingForEvents(eventIds: readonly string[], options?: { sendable?: SendableFilter }): Promise<DeliveryRecord[]>;
  /** Deliveries that gave up (visible in `status`, re-drivable). */
  countDead(): Promise<number>;
  /** Channels and targets whose latest delivery attempt failed (webhook, e-mail, digest, escalation). */
  failingTargets(): Promise<FailingTarget[]>;
  /** Pending deliveries per channel, with the oldest one's creation (epoch ms). */
  pendingByChannel(): Promise<Array<{ channel: string; pending: number; oldestAt: number }>>;
  /** Up to `limit` pending deliveries, soonest due first; with `dueBy` (epoch ms) only those due by
   *  then, with `sendable` only those this process can send. */
  listPending(limit: number, options?: { dueBy?: number; sendable?: SendableFilter }): Promise<DeliveryRecord[]>;
  /**
   * Takes a pending delivery that is due at `now` for one send: moves its due time to `until`, so no
   * relay or second job (on any host) sends it meanwhile. False when it is not pending, not due yet,
   * or another sender holds it.
   */
  claim(id: string, now: number, until: number): Promise<boolean>;
  /**
   * Marks a delivery sent at `at` (epoch ms), counting the attempt.
   * @throws AppError `NOT_FOUND` for an unknown id.
   */
  markSent(id: string, at: number): Promise<void>;
  /**
   * Counts a failed attempt: retried at `nextAttemptAt` (epoch ms), or `dead` when it is null.
   * A delivery already sent stays sent (a late failure report must not undo a 2xx).
   * @throws AppError `NOT_FOUND` for an unknown id.
   */
  markFailed(id: string, error: string, nextAttemptAt: number | null): Promise<void>;
  /**
   * Puts dead deliveries back to pending (all, or one event's); returns their ids and how many of
   * them are digest rows (those go out with the next digest, whose cut-off comes after `at`).
   */
  redriveDead(filter: { eventId?: string }, at: number): Promise<{ ids: string[]; digest: number }>;
}

export interface DeliveriesRepositoryOptions {
  /** Epoch-ms clock for `updated_at` where the caller gives no time. Default `Date.now`. */
  clock?: () => number;
}

/** Creates the delivery repository over an open (and migrated) database. */
export function createDeliveriesRepository(
  handle: DatabaseHandle,
  options: DeliveriesRepositoryOptions = {},
): DeliveriesRepository {
  const { db } = handle;
  const clock = options.clock ?? Date.now;

  const sendableOnly = (filter: SendableFilter | undefined): SQL | undefined =>
    filter === undefined
      ? undefined
      : and(
          inArray(deliveries.channel, [...filter.channels]),
          or(
            ne(deliveries.channel, 'webhook'),
            notInArray(deliveries.target, db.select({ name: webhookTargets.name }).from(webhookTargets).where(isNotNull(webhookTargets.disabledAt))),
          ),
        );

  const requireFound = (changes: number, id: string): void => {
    if (changes > 0) return;
    const exists = db.select({ id: deliveries.id }).from(deliveries).where(eq(deliveries.id, id)).get();
    if (exists === undefined) throw new AppError('NOT_FOUND', `delivery ${id} does not exist`);
  };

  return {
    findDelivery: (id) =>
      storeCall(`cannot read delivery ${id}`, () => db.select().from(deliveries).where(eq(deliveries.id, id)).get()),

    eventMessage: (eventId) =>
      storeCall(`cannot read event ${eventId}`, () => {
        const row = db
          .select({
            id: events.id,
            type: events.type,
            tier: events.tier,
            baseline: events.baseline,
            detectedAt: events.detectedAt,
            source: events.source,
            payload: events.payload,
            uscc: customers.uscc,
            name: customers.name,
            tags: customers.tags,
          })
          .from(events)
          .innerJoin(customers, eq(customers.id, events.customerId))
          .where(eq(events.id, eventId))
          .get();
        if (row === undefined) return undefined;
        const { uscc, name, tags, ...event } = row;
        return toEventMessage({ ...event, current: { uscc, name, tags } });
      }),

    listPendingForEvents: (eventIds, { sendable } = {}) =>
      storeCall('cannot list pending deliveries', () => {
        const found: DeliveryRecord[] = [];
        // Chunked: SQLite bounds the number of bound parameters per statement.
        for (let start = 0; start < eventIds.length; start += 500) {
          const chunk = eventIds.slice(start, start + 500);
          found.push(
            ...db
              .select()
              .from(deliveries)
              .where(and(eq(deliveries.status, 'pending'), inArray(deliveries.eventId, chunk), sendableOnly(sendable)))
              .orderBy(asc(deliveries.createdAt), asc(deliveries.id))
              .all(),
          );
        }
        return found;
      }),

    countDead: () =>
      storeCall('cannot count dead deliveries', () => {
        const row = db
          .select({ count: sql<number>`count(*)` })
          .from(deliveries)
          .where(eq(deliveries.status, 'dead'))
          .get();
        return row?.count ?? 0;
      }),

    listPending: (limit, { dueBy, sendable } = {}) =>
      storeCall('cannot list pending deliveries', () =>
        db
          .select()
          .from(deliveries)
          .where(
            and(
              eq(deliveries.status, 'pending'),
              dueBy === undefined ? undefined : lte(deliveries.nextAttemptAt, dueBy),
              sendableOnly(sendable),
            ),
          )
          .orderBy(asc(deliveries.nextAttemptAt), asc(deliveries.createdAt))
          .limit(Math.max(0, Math.trunc(limit)))
          .all(),
      ),

    failingTargets: () => failingTargets(handle),

    pendingByChannel: () =>
      storeCall('cannot count pending deliveries', () =>
        db
          .select({ channel: deliveries.channel, pending: sql<number>`count(*)`, oldestAt: sql<number>`min(${deliveries.createdAt})` })
          .from(deliveries)
          .where(eq(deliveries.status, 'pending'))
          .groupBy(deliveries.channel)
          .orderBy(asc(deliveries.channel))
          .all(),
      ),

    claim: (id, now, until) =>
      storeCall(`cannot claim delivery ${id}`, () => {
        const result = db
          .update(deliveries)
          .set({ nextAttemptAt: until })
          .where(and(eq(deliveries.id, id), eq(deliveries.status, 'pending'), or(isNull(deliveries.nextAttemptAt), lte(deliveries.nextAttemptAt, now))))
          .run();
        return result.changes > 0;
      }),

    markSent: (id, at) =>
      storeCall(`cannot mark delivery ${id} sent`, () => {
        inWriteTransaction(handle, () => {
          const result = db
            .update(deliveries)
            .set({
              status: 'sent',
              attempts: sql`${deliveries.attempts} + 1`,
              sentAt: at,
              nextAttemptAt: null,
              updatedAt: at,
            })
            .where(and(eq(deliveries.id, id), ne(deliveries.status, 'sent')))
            .returning({ channel: deliveries.channel, target: deliveries.target })
            .all();
          requireFound(result.length, id);
          for (const row of result) recordTargetAttempt(handle, row.channel, row.target, { ok: true }, at);
        });
      }),

    markFailed: (id, error, nextAttemptAt) =>
      storeCall(`cannot mark delivery ${id} failed`, () => {
        const at = clock();
        inWriteTransaction(handle, () => {
          const result = db
            .update(deliveries)
            .set({
              status: nextAttemptAt === null ? 'dead' : 'pending',
              attempts: sql`${deliveries.attempts} + 1`,
              lastError: error,
              nextAttemptAt,
              updatedAt: at,
            })
            .where(and(eq(deliveries.id, id), ne(deliveries.status, 'sent')))
            .returning({ channel: deliveries.channel, target: deliveries.target })
            .all();
          requireFound(result.length, id);
          for (const row of result) recordTargetAttempt(handle, row.channel, row.target, { ok: false, error }, at);
        });
      }),

    redriveDead: (filter, at) =>
      storeCall('cannot re-drive dead deliveries', () =>
        inWriteTransaction(handle, () => {
          const where = and(eq(deliveries.status, 'dead'), filter.eventId === undefined ? undefined : eq(deliveries.eventId, filter.eventId));
          const rows = db.select({ id: deliveries.id, channel: deliveries.channel }).from(deliveries).where(where).all();
          // The retry window restarts: created_at is when the give-up clock starts. `attempts` is kept:
          // it names the next deliver job (delivery-<id>-<attempts>), and resetting it to 0 would reuse
          // the id of a job BullMQ still keeps as completed, so the re-drive would be a silent no-op.
          db.update(deliveries)
            .set({ status: 'pending', nextAttemptAt: at, createdAt: at, updatedAt: at, lastError: null })
            .where(where)
            .run();
          return { ids: rows.map((row) => row.id), digest: rows.filter((row) => row.channel === 'email_digest').length };
        }),
      ),
  };
}
