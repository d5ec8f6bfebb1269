/** The customer register: add, import, pause, soft-remove, and the queries the scheduler needs. */
import { and, asc, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import type { Customer } from '../app/ports.js';
import { inWriteTransaction, type DatabaseHandle } from './database.js';
import { customers } from './schema.js';
import { storeCall, toStoreError } from './store-error.js';

export interface CustomerRecord extends Customer {
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms of the last change to name, tags, paused or removal. */
  updatedAt: number;
  /** Epoch ms; set while the customer is removed (its history is kept). */
  removedAt: number | null;
}

export interface CustomerInput {
  /** Already validated and normalised (`parseUscc`). */
  uscc: string;
  name: string;
  /** Replaces the customer's tags. Absent or null keeps the existing tags (a new customer gets none). */
  tags?: readonly string[] | null;
}

/** What an upsert did: `restored` = the customer had been removed and is monitored again. */
export type UpsertOutcome = 'created' | 'updated' | 'restored' | 'unchanged';
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
   * Every monitored (not removed, not paused) customer's code, optionally only those with `tag`, read
   * in pages of `pageSize` (default 1000) by id so memory stays bounded for any register size.
   */
  iterateUsccs(options?: { tag?: string; pageSize?: number }): AsyncGenerator<string>;
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

  const findRow = (uscc: string, includeRemoved: boolean): CustomerRecord | undefined =>
    db
      .select()
      .from(customers)
      .where(includeRemoved ? eq(customers.uscc, uscc) : and(eq(customers.uscc, uscc), notRemoved))
      .get();

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
          const outcome = createUpserter(handle)(input, clock());
          const customer = findRow(input.uscc, false);
          if (customer === undefined) throw new Error(`customer ${input.uscc} vanished after upsert`);
          return { outcome, customer };
        }),
      ),

    upsertMany: async (rows, { batchSize = 1000 } = {}) => {
      const summary: UpsertSummary = { created: 0, updated: 0, restored: 0, unchanged: 0 };
      const upsert = createUpserter(handle);
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
          .where(
            and(
              notRemoved,
              eq(customers.paused, false),
              or(isNull(customers.nextCheckAt), lte(customers.nextCheckAt, now)),
            ),
          )
          // NULLs sort first in SQLite: never-checked customers are baselined before anyone else.
          .orderBy(asc(customers.nextCheckAt), asc(customers.id))
          .limit(Math.max(0, Math.trunc(limit)))
          .all(),
      ),

    iterateUsccs: async function* ({ tag, pageSize = 1000 } = {}) {
      const size = Math.max(1, Math.trunc(pageSize));
      let afterId = 0;
      for (;;) {
        let page: { id: number; uscc: string }[];
        try {
          page = db
            .select({ id: customers.id, uscc: customers.uscc })
            .from(customers)
            .where(
              and(
                gt(customers.id, afterId),
                notRemoved,
                eq(customers.paused, false),
                tag === undefined
                  ? undefined
                  : sql`exists (select 1 from json_each(${customers.tags}) where json_each.value = ${tag})`,
              ),
            )
            .orderBy(asc(customers.id))
            .limit(size)
            .all();
        } catch (error) {
          throw toStoreError('cannot list customer codes', error);
        }
        for (const row of page) yield row.uscc;
        const last = page.at(-1);
        if (last === undefined || page.length < size) return;
        afterId = last.id;
      }
    },
  };
}

/**
 * Prepares the statements of one upsert, for use inside a write transaction. Reading first (rather
 * than INSERT … ON CONFLICT) tells created from updated from restored, and leaves unchanged rows
 * untouched so a re-import of the same file writes almost nothing.
 */
function createUpserter(handle: DatabaseHandle): (input: CustomerInput, now: number) => UpsertOutcome {
  const { db } = handle;
  const p = sql.placeholder;
  const select = db
    .select({ id: customers.id, name: customers.name, tags: customers.tags, removedAt: customers.removedAt })
    .from(customers)
    .where(eq(customers.uscc, p('uscc')))
    .prepare();
  const insert = db
    .insert(customers)
    .values({ uscc: p('uscc'), name: p('name'), tags: p('tags'), createdAt: p('now'), updatedAt: p('now') })
    .prepare();
  // drizzle types `.set()` without placeholders; wrapped in sql they bind raw, so tags go as JSON text.
  const update = db
    .update(customers)
    .set({ name: sql`${p('name')}`, tags: sql`${p('tagsJson')}`, updatedAt: sql`${p('now')}` })
    .where(eq(customers.id, p('id')))
    .prepare();
  // A restored customer is monitored afresh: unpaused and due at once.
  const restore = db
    .update(customers)
    .set({
      name: sql`${p('name')}`,
      tags: sql`${p('tagsJson')}`,
      updatedAt: sql`${p('now')}`,
      removedAt: null,
      paused: false,
      nextCheckAt: null,
    })
    .where(eq(customers.id, p('id')))
    .prepare();

  return (input, now) => {
    const existing = select.get({ uscc: input.uscc });
    if (existing === undefined) {
      insert.run({ uscc: input.uscc, name: input.name, tags: [...(input.tags ?? [])], now });
      return 'created';
    }
    const tags = input.tags === undefined || input.tags === null ? existing.tags : [...input.tags];
    const values = { id: existing.id, name: input.name, tagsJson: JSON.stringify(tags), now };
    if (existing.removedAt !== null) {
      restore.run(values);
      return 'restored';
    }
    if (existing.name === input.name && sameTags(existing.tags, tags)) return 'unchanged';
    update.run(values);
    return 'updated';
  };
}

function sameTags(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((tag, i) => tag === b[i]);
}
