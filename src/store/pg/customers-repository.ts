/** The customer register on PostgreSQL: the same interface and behaviour as the SQLite repository. */
import { and, asc, eq, gt, gte, isNotNull, isNull, lt, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import { gradeCounts, type ChangeOutcome, type CustomerRecord, type CustomersRepository, type UpsertSummary } from '../customers-repository.js';
import { customers } from '../schema.pg.js';
import { anyOf } from './any-of.js';
import { hasTag, monitored, notRemoved } from './customer-conditions.js';
import { readPgCustomerPage } from './customers-page.js';
import { inPgTransaction, type PgExecutor, type PgHandle } from './database.js';
import { pagesById } from './pages-by-id.js';
import { pgCall } from './pg-error.js';
import { upsertCustomerBatch } from './upsert-customer-batch.js';

const isDue = (now: number): SQL | undefined => and(monitored, or(isNull(customers.nextCheckAt), lte(customers.nextCheckAt, now)));

/** Creates the customer repository over an open (and migrated) PostgreSQL database. */
export function createPgCustomersRepository(handle: PgHandle, options: { clock?: () => number } = {}): CustomersRepository {
  const { db } = handle;
  const clock = options.clock ?? Date.now;

  const findRow = async (executor: PgExecutor, uscc: string, includeRemoved: boolean): Promise<CustomerRecord | undefined> => {
    const rows = await executor
      .select()
      .from(customers)
      .where(and(eq(customers.uscc, uscc), includeRemoved ? undefined : notRemoved));
    return rows[0];
  };

  /**
   * One conditional UPDATE, so racing callers cannot both change the row; only when it changed
   * nothing does a read tell `unchanged` from `not_found`.
   */
  const setFlag = async (uscc: string, change: 'pause' | 'resume' | 'remove'): Promise<ChangeOutcome> => {
    const now = clock();
    const paused = change === 'pause';
    const changed =
      change === 'remove'
        ? await db.update(customers).set({ removedAt: now, updatedAt: now }).where(and(eq(customers.uscc, uscc), notRemoved)).returning({ id: customers.id })
        : await db
            .update(customers)
            .set({ paused, updatedAt: now })
            .where(and(eq(customers.uscc, uscc), notRemoved, ne(customers.paused, paused)))
            .returning({ id: customers.id });
    if (changed.length > 0) return 'changed';
    return (await findRow(db, uscc, change === 'remove')) === undefined ? 'not_found' : 'unchanged';
  };

  return {
    add: (input) =>
      pgCall(`cannot add customer ${input.uscc}`, () =>
        inPgTransaction(handle, async (tx) => {
          const [outcome] = await upsertCustomerBatch(tx, [input], clock());
          const customer = await findRow(tx, input.uscc, false);
          if (outcome === undefined || customer === undefined) throw new Error(`customer ${input.uscc} vanished after upsert`);
          return { outcome, customer };
        }),
      ),

    upsertMany: async (rows, { batchSize = 1000 } = {}) => {
      const summary: UpsertSummary = { created: 0, updated: 0, restored: 0, unchanged: 0 };
      const size = Math.max(1, Math.trunc(batchSize));
      for (let start = 0; start < rows.length; start += size) {
        const batch = rows.slice(start, start + size);
        const outcomes = await pgCall(`cannot import customers (rows ${start + 1}-${start + batch.length})`, () =>
          inPgTransaction(handle, (tx) => upsertCustomerBatch(tx, batch, clock())),
        );
        for (const outcome of outcomes) summary[outcome] += 1;
      }
      return summary;
    },

    list: ({ includeRemoved = false } = {}) =>
      pgCall('cannot list customers', () =>
        db
          .select()
          .from(customers)
          .where(includeRemoved ? undefined : notRemoved)
          .orderBy(asc(customers.id)),
      ),

    page: (filter) => pgCall('cannot list customers', () => readPgCustomerPage(handle, filter)),

    findByUscc: (uscc, { includeRemoved = false } = {}) => pgCall(`cannot read customer ${uscc}`, () => findRow(db, uscc, includeRemoved)),

    setPaused: (uscc, paused) => pgCall(`cannot ${paused ? 'pause' : 'resume'} customer ${uscc}`, () => setFlag(uscc, paused ? 'pause' : 'resume')),

    remove: (uscc) => pgCall(`cannot remove customer ${uscc}`, () => setFlag(uscc, 'remove')),

    counts: (now) =>
      pgCall('cannot count customers', async () => {
        const [row] = await db
          .select({
            total: sql<number>`count(*)::int`,
            paused: sql<number>`(count(*) filter (where ${customers.paused}))::int`,
            due: sql<number>`(count(*) filter (where not ${customers.paused} and (${customers.nextCheckAt} is null or ${customers.nextCheckAt} <= ${now})))::int`,
            failing: sql<number>`(count(*) filter (where ${customers.consecutiveFailures} > 0))::int`,
          })
          .from(customers)
          .where(notRemoved);
        return row ?? { total: 0, paused: 0, due: 0, failing: 0 };
      }),

    findDue: (now, limit) =>
      pgCall('cannot find due customers', () =>
        db
          .select()
          .from(customers)
          .where(isDue(now))
          // NULLS FIRST, as SQLite sorts them: never-checked customers are baselined before anyone else.
          .orderBy(sql`${customers.nextCheckAt} asc nulls first`, asc(customers.id))
          .limit(Math.max(0, Math.trunc(limit))),
      ),

    iterateDue: async function* (now, pageSize = 1000, { queuedBefore } = {}) {
      const notQueued = queuedBefore === undefined ? undefined : or(isNull(customers.queuedAt), lt(customers.queuedAt, queuedBefore));
      const pages = pagesById('cannot list due customers', pageSize, (afterId, limit) =>
        db
          .select({ id: customers.id, uscc: customers.uscc, dueAt: customers.nextCheckAt })
          .from(customers)
          .where(and(gt(customers.id, afterId), isDue(now), notQueued))
          .orderBy(asc(customers.id))
          .limit(limit),
      );
      for await (const page of pages) yield page.map(({ uscc, dueAt }) => ({ uscc, dueAt }));
    },

    markQueued: (usccs, at) =>
      pgCall('cannot mark customers queued', async () => {
        if (usccs.length === 0) return;
        // Rows locked in id order, as an import and the check store lock them, so they do not deadlock.
        await db.execute(sql`
          update customers set queued_at = ${at}
          where id in (select id from customers where ${anyOf(customers.uscc, usccs, 'text')} order by id for no key update)`);
      }),

    clearQueued: () =>
      pgCall('cannot clear queued marks', async () => {
        const cleared = await db.update(customers).set({ queuedAt: null }).where(isNotNull(customers.queuedAt));
        return cleared.rowCount ?? 0;
      }),

    iterateUsccs: async function* ({ tag, pageSize = 1000 } = {}) {
      const pages = pagesById('cannot list customer codes', pageSize, (afterId, limit) =>
        db
          .select({ id: customers.id, uscc: customers.uscc })
          .from(customers)
          .where(and(gt(customers.id, afterId), monitored, tag === undefined ? undefined : hasTag(tag)))
          .orderBy(asc(customers.id))
          .limit(limit),
      );
      for await (const page of pages) for (const row of page) yield row.uscc;
    },

    iterate: ({ grade, pageSize = 1000 } = {}) =>
      pagesById('cannot list customers', pageSize, (afterId, limit) =>
        db
          .select()
          .from(customers)
          .where(and(gt(customers.id, afterId), notRemoved, grade === undefined ? undefined : eq(customers.grade, grade)))
          .orderBy(asc(customers.id))
          .limit(limit),
      ),

    countByGrade: () =>
      pgCall('cannot count customers by grade', async () =>
        gradeCounts(
          await db
            .select({ grade: customers.grade, customers: sql<number>`count(*)::int` })
            .from(customers)
            .where(monitored)
            .groupBy(customers.grade),
        ),
      ),

    checkedByGradeSince: (since) =>
      pgCall('cannot count checked customers by grade', async () =>
        gradeCounts(
          await db
            .select({ grade: customers.grade, customers: sql<number>`count(*)::int` })
            .from(customers)
            .where(and(notRemoved, gte(customers.lastCheckedAt, since)))
            .groupBy(customers.grade),
        ),
      ),
  };
}
