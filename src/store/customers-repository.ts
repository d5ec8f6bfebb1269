/** The customer register: add, import, pause, soft-remove, and the queries the scheduler needs. */
import { and, asc, eq, gt, gte, inArray, isNotNull, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { CustomerPageFilter, Page } from '../app/page-ports.js';
import type { Customer } from '../app/ports.js';
import type { Grade } from '../domain/grades.js';
import { inWriteTransaction, type DatabaseHandle } from './database.js';
import { readCustomerPage } from './customers-page.js';
import { customers } from './schema.js';
import { createCustomerUpserter, type CustomerInput, type UpsertOutcome } from './customer-upserter.js';
import { sqlitePagesById } from './sqlite-pages-by-id.js';
import { storeCall } from './store-error.js';

export type { CustomerInput, UpsertOutcome } from './customer-upserter.js';

export interface CustomerRecord extends Customer {
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms of the last change to name, tags, paused or removal. */
  updatedAt: number;
  /** Epoch ms; set while the customer is removed (its history is kept). */
  removedAt: number | null;
}

/** How many rows each outcome had. */
export type UpsertSummary = Record<UpsertOutcome, number>;
/** What pause, resume or remove did. */
export type ChangeOutcome = 'changed' | 'unchanged' | 'not_found';

export interface CustomerCounts {
  /** Customers not removed. */
  total: number;
  paused: number;
  /** Not paused and never checked or past `next_check_at`. */
  due: number;
  /** Whose last check failed (consecutive failures > 0). */
  failing: number;
}

export interface CustomersRepository {
  /** Adds a customer or updates its name and tags; re-adding a removed customer restores it. */
  add(input: CustomerInput): Promise<{ outcome: UpsertOutcome; customer: CustomerRecord }>;
  /**
   * Upserts many customers (as `add`), one IMMEDIATE transaction per batch of `batchSize`
   * (default 1000), so an interrupted import keeps the batches already committed.
   */
  upsertMany(rows: readonly CustomerInput[], options?: { batchSize?: number }): Promise<UpsertSummary>;
  /** Every customer by id; removed ones only with `includeRemoved`. */
  list(options?: { includeRemoved?: boolean }): Promise<CustomerRecord[]>;
  /**
   * One page of the register by id: the customers `filter` matches (not removed ones unless its
   * state is `removed`), each with its grade; `total` counts them all, the cursor aside.
   * @throws AppError `USAGE` for a malformed cursor or a limit outside 1..500.
   */
  page(filter: CustomerPageFilter): Promise<Page<CustomerRecord>>;
  /** Exact match on a normalised code; a removed customer only with `includeRemoved`. */
  findByUscc(uscc: string, options?: { includeRemoved?: boolean }): Promise<CustomerRecord | undefined>;
  setPaused(uscc: string, paused: boolean): Promise<ChangeOutcome>;
  /** Soft delete: the customer leaves the register, its snapshots and events stay. */
  remove(uscc: string): Promise<ChangeOutcome>;
  /** `now` is epoch ms. */
  counts(now: number): Promise<CustomerCounts>;
  /** Up to `limit` customers due at `now` (epoch ms), never-checked first, then the most overdue. */
  findDue(now: number, limit: number): Promise<CustomerRecord[]>;
  /**
   * Every customer due at `now` (epoch ms), in pages of `pageSize` by id (keyset, bounded memory), with
   * the `next_check_at` that made it due (null: never checked) for idempotent job ids. With
   * `queuedBefore`, a customer already enqueued at or after that time (epoch ms) is left out.
   */
  iterateDue(now: number, pageSize?: number, options?: { queuedBefore?: number }): AsyncGenerator<DueCustomer[]>;
  /** Notes that these customers' due checks were enqueued at `at` (epoch ms). */
  markQueued(usccs: readonly string[], at: number): Promise<void>;
  /** Forgets every queued mark: Redis lost its jobs, so every due customer must be enqueued again. */
  clearQueued(): Promise<number>;
  /**
   * Every monitored (not removed, not paused) customer's code, optionally only those with `tag`, read
   * in pages of `pageSize` (default 1000) by id so memory stays bounded for any register size.
   */
  iterateUsccs(options?: { tag?: string; pageSize?: number }): AsyncGenerator<string>;
  /**
   * Every customer in the register (not removed), optionally only those of `grade`, in pages of
   * `pageSize` (default 1000) by id: `customers list` for any register size.
   */
  iterate(options?: { grade?: Grade; pageSize?: number }): AsyncGenerator<CustomerRecord[]>;
  /** Monitored (not removed, not paused) customers per grade, for the cadence plan; a grade nobody has is left out. */
  countByGrade(): Promise<GradeCounts>;
  /** Customers in the register per grade whose last check was at or after `since` (epoch ms). */
  checkedByGradeSince(since: number): Promise<GradeCounts>;
}

/** Customers per grade; a grade left out has none. */
export type GradeCounts = Partial<Record<Grade, number>>;

/** Rows of a `group by grade` count as a record (a driver may hand counts over as strings). */
export function gradeCounts(rows: ReadonlyArray<{ grade: Grade; customers: number | string }>): GradeCounts {
  return Object.fromEntries(rows.map((row) => [row.grade, Number(row.customers)]));
}

export interface DueCustomer {
  uscc: string;
  /** Epoch ms; null when never checked (or just restored). */
  dueAt: number | null;
}

export interface CustomersRepositoryOptions {
  /** Epoch-ms clock for created/updated/removed times. Default `Date.now`. */
  clock?: () => number;
}

/** Creates the customer repository over an open (and migrated) database. */
export function createCustomersRepository(
  handle: DatabaseHandle,
  options: CustomersRepositoryOptions = {},
): CustomersRepository {
  const { db } = handle;
  const clock = options.clock ?? Date.now;
  const notRemoved = isNull(customers.removedAt);
  const isDue = (now: number): SQL | undefined =>
    and(notRemoved, eq(customers.paused, false), or(isNull(customers.nextCheckAt), lte(customers.nextCheckAt, now)));

  // Prepared once: the scan of every customer looks it up (drizzle would re-prepare each call).
  const byUscc = db.select().from(customers).where(eq(customers.uscc, sql.placeholder('uscc'))).prepare();
  const byUsccNotRemoved = db
    .select()
    .from(customers)
    .where(and(eq(customers.uscc, sql.placeholder('uscc')), notRemoved))
    .prepare();
  const findRow = (uscc: string, includeRemoved: boolean): CustomerRecord | undefined =>
    (includeRemoved ? byUscc : byUsccNotRemoved).get({ uscc });

  const setFlag = (uscc: string, change: 'pause' | 'resume' | 'remove'): ChangeOutcome =>
    inWriteTransaction(handle, () => {
      const row = findRow(uscc, change === 'remove');
      if (row === undefined) return 'not_found';
      const now = clock();
      if (change === 'remove') {
        if (row.removedAt !== null) return 'unchanged';
        db.update(customers).set({ removedAt: now, updatedAt: now }).where(eq(customers.id, row.id)).run();
        return 'changed';
      }
      const paused = change === 'pause';
      if (row.paused === paused) return 'unchanged';
      db.update(customers).set({ paused, updatedAt: now }).where(eq(customers.id, row.id)).run();
      return 'changed';
    });

  return {
    add: (input) =>
      storeCall(`cannot add customer ${input.uscc}`, () =>
        inWriteTransaction(handle, () => {
          const outcome = createCustomerUpserter(handle)(input, clock());
          const customer = findRow(input.uscc, false);
          if (customer === undefined) throw new Error(`customer ${input.uscc} vanished after upsert`);
          return { outcome, customer };
        }),
      ),

    upsertMany: async (rows, { batchSize = 1000 } = {}) => {
      const summary: UpsertSummary = { created: 0, updated: 0, restored: 0, unchanged: 0 };
      const upsert = createCustomerUpserter(handle);
      const size = Math.max(1, Math.trunc(batchSize));
      for (let start = 0; start < rows.length; start += size) {
        const batch = rows.slice(start, start + size);
        await storeCall(`cannot import customers (rows ${start + 1}-${start + batch.length})`, () => {
          inWriteTransaction(handle, () => {
            const now = clock();
            for (const row of batch) summary[upsert(row, now)] += 1;
          });
        });
        // Let timers and I/O run between batches; a big import must not starve the event loop.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      return summary;
    },

    list: ({ includeRemoved = false } = {}) =>
      storeCall('cannot list customers', () =>
        db
          .select()
          .from(customers)
          .where(includeRemoved ? undefined : notRemoved)
          .orderBy(asc(customers.id))
          .all(),
      ),

    page: (filter) => storeCall('cannot list customers', () => readCustomerPage(db, filter)),

    findByUscc: (uscc, { includeRemoved = false } = {}) =>
      storeCall(`cannot read customer ${uscc}`, () => findRow(uscc, includeRemoved)),

    setPaused: (uscc, paused) =>
      storeCall(`cannot ${paused ? 'pause' : 'resume'} customer ${uscc}`, () =>
        setFlag(uscc, paused ? 'pause' : 'resume'),
      ),

    remove: (uscc) => storeCall(`cannot remove customer ${uscc}`, () => setFlag(uscc, 'remove')),

    counts: (now) =>
      storeCall('cannot count customers', () => {
        const row = db
          .select({
            total: sql<number>`count(*)`,
            paused: sql<number>`coalesce(sum(${customers.paused}), 0)`,
            due: sql<number>`coalesce(sum(${customers.paused} = 0 and (${customers.nextCheckAt} is null or ${customers.nextCheckAt} <= ${now})), 0)`,
            failing: sql<number>`coalesce(sum(${customers.consecutiveFailures} > 0), 0)`,
          })
          .from(customers)
          .where(notRemoved)
          .get();
        return row ?? { total: 0, paused: 0, due: 0, failing: 0 };
      }),

    findDue: (now, limit) =>
      storeCall('cannot find due customers', () =>
        db
          .select()
          .from(customers)
          .where(isDue(now))
          // NULLs sort first in SQLite: never-checked customers are baselined before anyone else.
          .orderBy(asc(customers.nextCheckAt), asc(customers.id))
          .limit(Math.max(0, Math.trunc(limit)))
          .all(),
      ),

    iterateDue: async function* (now, pageSize = 1000, { queuedBefore } = {}) {
      const notQueued = queuedBefore === undefined ? undefined : or(isNull(customers.queuedAt), lt(customers.queuedAt, queuedBefore));
      const pages = sqlitePagesById('cannot list due customers', pageSize, (afterId, limit) =>
        db
          .select({ id: customers.id, uscc: customers.uscc, dueAt: customers.nextCheckAt })
          .from(customers)
          .where(and(gt(customers.id, afterId), isDue(now), notQueued))
          .orderBy(asc(customers.id))
          .limit(limit)
          .all(),
      );
      for await (const page of pages) yield page.map(({ uscc, dueAt }) => ({ uscc, dueAt }));
    },

    markQueued: (usccs, at) =>
      storeCall('cannot mark customers queued', () => {
        inWriteTransaction(handle, () => {
          // Chunked: SQLite bounds the number of bound parameters per statement.
          for (let start = 0; start < usccs.length; start += 500) {
            db.update(customers).set({ queuedAt: at }).where(inArray(customers.uscc, usccs.slice(start, start + 500))).run();
          }
        });
      }),

    clearQueued: () =>
      storeCall('cannot clear queued marks', () => db.update(customers).set({ queuedAt: null }).where(isNotNull(customers.queuedAt)).run().changes),

    iterateUsccs: async function* ({ tag, pageSize = 1000 } = {}) {
      const tagged = tag === undefined ? undefined : sql`exists (select 1 from json_each(${customers.tags}) where json_each.value = ${tag})`;
      const pages = sqlitePagesById('cannot list customer codes', pageSize, (afterId, limit) =>
        db
          .select({ id: customers.id, uscc: customers.uscc })
          .from(customers)
          .where(and(gt(customers.id, afterId), notRemoved, eq(customers.paused, false), tagged))
          .orderBy(asc(customers.id))
          .limit(limit)
          .all(),
      );
      for await (const page of pages) for (const row of page) yield row.uscc;
    },

    iterate: ({ grade, pageSize = 1000 } = {}) =>
      sqlitePagesById('cannot list customers', pageSize, (afterId, limit) =>
        db
          .select()
          .from(customers)
          .where(and(gt(customers.id, afterId), notRemoved, grade === undefined ? undefined : eq(customers.grade, grade)))
          .orderBy(asc(customers.id))
          .limit(limit)
          .all(),
      ),

    countByGrade: () =>
      storeCall('cannot count customers by grade', () =>
        gradeCounts(
          db
            .select({ grade: customers.grade, customers: sql<number>`count(*)` })
            .from(customers)
            .where(and(notRemoved, eq(customers.paused, false)))
            .groupBy(customers.grade)
            .all(),
        ),
      ),

    checkedByGradeSince: (since) =>
      storeCall('cannot count checked customers by grade', () =>
        gradeCounts(
          db
            .select({ grade: customers.grade, customers: sql<number>`count(*)` })
            .from(customers)
            .where(and(notRemoved, gte(customers.lastCheckedAt, since)))
            .groupBy(customers.grade)
            .all(),
        ),
      ),
  };
}
