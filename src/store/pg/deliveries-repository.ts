/**
 * The outbox on PostgreSQL (see `../deliveries-repository.ts`). Several relays and deliverers may
 * work one outbox: a delivery's outcome is a compare-and-set on its status (a row already sent
 * never changes again), so two workers reporting the same delivery count it once.
 */
import { and, asc, eq, isNotNull, isNull, lte, ne, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { AppError } from '../../errors.js';
import type { DeliveriesRepository, DeliveriesRepositoryOptions, SendableFilter } from '../deliveries-repository.js';
import { toEventMessage } from '../event-message.js';
import { customers, deliveries, events, webhookTargets } from '../schema.pg.js';
import { anyOf } from './any-of.js';
import { inPgTransaction, type PgDb, type PgExecutor, type PgHandle } from './database.js';
import { failingTargets, recordTargetAttempt } from './delivery-targets.js';
import { pgCall } from './pg-error.js';

/** Creates the PostgreSQL implementation of {@link DeliveriesRepository}. */
export function createPgDeliveriesRepository(handle: PgHandle, options: DeliveriesRepositoryOptions = {}): DeliveriesRepository {
  const { db } = handle;
  const clock = options.clock ?? Date.now;

  return {
    findDelivery: (id) =>
      pgCall(`cannot read delivery ${id}`, async () => (await db.select().from(deliveries).where(eq(deliveries.id, id)))[0]),

    eventMessage: (eventId) => pgCall(`cannot read event ${eventId}`, () => eventMessage(db, eventId)),

    listPendingForEvents: (eventIds, { sendable } = {}) =>
      pgCall('cannot list pending deliveries', () =>
        db
          .select()
          .from(deliveries)
          .where(and(eq(deliveries.status, 'pending'), anyOf(deliveries.eventId, eventIds, 'text'), sendableOnly(db, sendable)))
          .orderBy(asc(deliveries.createdAt), asc(deliveries.id)),
      ),

    countDead: () =>
      pgCall('cannot count dead deliveries', async () => {
        const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(deliveries).where(eq(deliveries.status, 'dead'));
        return row?.count ?? 0;
      }),

    listPending: (limit, { dueBy, sendable } = {}) =>
      pgCall('cannot list pending deliveries', () =>
        db
          .select()
          .from(deliveries)
          .where(
            and(
              eq(deliveries.status, 'pending'),
              dueBy === undefined ? undefined : lte(deliveries.nextAttemptAt, dueBy),
              sendableOnly(db, sendable),
            ),
          )
          .orderBy(asc(deliveries.nextAttemptAt), asc(deliveries.createdAt))
          .limit(Math.max(0, Math.trunc(limit))),
      ),

    failingTargets: () => failingTargets(handle),

    pendingByChannel: () =>
      pgCall('cannot count pending deliveries', () =>
        db
          .select({ channel: deliveries.channel, pending: sql<number>`count(*)::int`, oldestAt: sql<number>`min(${deliveries.createdAt})`.mapWith(Number) })
          .from(deliveries)
          .where(eq(deliveries.status, 'pending'))
          .groupBy(deliveries.channel)
          .orderBy(asc(deliveries.channel)),
      ),

    claim: (id, now, until) =>
      pgCall(`cannot claim delivery ${id}`, async () => {
        // One conditional UPDATE: of two workers claiming at once, the second re-checks after the
        // first's commit and finds the row no longer due.
        const rows = await db
          .update(deliveries)
          .set({ nextAttemptAt: until })
          .where(and(eq(deliveries.id, id), eq(deliveries.status, 'pending'), or(isNull(deliveries.nextAttemptAt), lte(deliveries.nextAttemptAt, now))))
          .returning({ id: deliveries.id });
        return rows.length > 0;
      }),

    markSent: (id, at) =>
      pgCall(`cannot mark delivery ${id} sent`, () =>
        recordOutcome(handle, id, at, { status: 'sent', sentAt: at, nextAttemptAt: null }, { ok: true }),
      ),

    markFailed: (id, error, nextAttemptAt) =>
      pgCall(`cannot mark delivery ${id} failed`, () =>
        recordOutcome(
          handle,
          id,
          clock(),
          { status: nextAttemptAt === null ? 'dead' : 'pending', lastError: error, nextAttemptAt },
          { ok: false, error },
        ),
      ),

    redriveDead: (filter, at) =>
      pgCall('cannot re-drive dead deliveries', async () => {
        // One statement: a row re-driven here is exactly a row reported. `attempts` is kept (it names
        // the next deliver job; see the SQLite repository).
        const rows = await db
          .update(deliveries)
          .set({ status: 'pending', nextAttemptAt: at, createdAt: at, updatedAt: at, lastError: null })
          .where(and(eq(deliveries.status, 'dead'), filter.eventId === undefined ? undefined : eq(deliveries.eventId, filter.eventId)))
          .returning({ id: deliveries.id, channel: deliveries.channel });
        return { ids: rows.map((row) => row.id), digest: rows.filter((row) => row.channel === 'email_digest').length };
      }),
  };
}

/**
 * Counts one attempt and records its outcome, with the target's health, in one transaction. The
 * UPDATE's condition is re-checked after waiting on a concurrent writer's row lock, so a delivery
 * another worker just marked sent is left alone here.
 */
async function recordOutcome(
  handle: PgHandle,
  id: string,
  at: number,
  set: Partial<typeof deliveries.$inferInsert>,
  outcome: { ok: true } | { ok: false; error: string },
): Promise<void> {
  await inPgTransaction(handle, async (tx) => {
    const updated = await tx
      .update(deliveries)
      .set({ ...set, attempts: sql`${deliveries.attempts} + 1`, updatedAt: at })
      .where(and(eq(deliveries.id, id), ne(deliveries.status, 'sent')))
      .returning({ channel: deliveries.channel, target: deliveries.target });
    if (updated.length === 0) await requireFound(tx, id);
    for (const row of updated) await recordTargetAttempt(tx, row.channel, row.target, outcome, at);
  });
}

function sendableOnly(db: PgDb, filter: SendableFilter | undefined): SQL | undefined {
  if (filter === undefined) return undefined;
  const disabled = db.select({ name: webhookTargets.name }).from(webhookTargets).where(isNotNull(webhookTargets.disabledAt));
  return and(anyOf(deliveries.channel, filter.channels, 'text'), or(ne(deliveries.channel, 'webhook'), notInArray(deliveries.target, disabled)));
}

async function requireFound(executor: PgExecutor, id: string): Promise<void> {
  const found = await executor.select({ id: deliveries.id }).from(deliveries).where(eq(deliveries.id, id));
  if (found.length === 0) throw new AppError('NOT_FOUND', `delivery ${id} does not exist`);
}

/** The message of one event, from the customer frozen into it (see `toEventMessage`). */
async function eventMessage(executor: PgExecutor, eventId: string): ReturnType<DeliveriesRepository['eventMessage']> {
  const [row] = await executor
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
    .where(eq(events.id, eventId));
  if (row === undefined) return undefined;
  const { uscc, name, tags, ...event } = row;
  return toEventMessage({ ...event, current: { uscc, name, tags } });
}
