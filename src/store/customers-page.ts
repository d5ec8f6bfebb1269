/** One page of the customer register on SQLite (API `GET /api/customers`, the console's list). */
import { and, asc, gt, sql } from 'drizzle-orm';
import type { CustomerPageFilter, Page } from '../app/page-ports.js';
import type { CustomerRecord } from './customers-repository.js';
import type { Db } from './database.js';
import { customerPageConditions, type CustomerPageTables } from './page-conditions.js';
import { checkedPageLimit, decodeCustomerCursor, encodeCustomerCursor, pageOf } from './page-cursor.js';
import { customers, events } from './schema.js';

const tables: CustomerPageTables = {
  customers,
  events,
  hasTag: (tag) => sql`exists (select 1 from json_each(${customers.tags}) where json_each.value = ${tag})`,
};

/**
 * The statements of one page: its rows (one more than `limit`, to tell whether another page
 * follows) and the count of every match. Exported so a test can read their query plans.
 * @throws AppError `USAGE` for a malformed cursor or limit.
 */
export function customerPageQueries(db: Pick<Db, 'select'>, filter: CustomerPageFilter) {
  const limit = checkedPageLimit(filter.limit);
  const after = filter.cursor === undefined ? undefined : gt(customers.id, decodeCustomerCursor(filter.cursor));
  const matching = customerPageConditions(tables, filter);
  return {
    limit,
    rows: db
      .select()
      .from(customers)
      .where(and(matching, after))
      .orderBy(asc(customers.id))
      .limit(limit + 1),
    count: db.select({ n: sql<number>`count(*)` }).from(customers).where(matching),
  };
}

/** The customers `filter` matches, by id; its `total` leaves the cursor out. */
export function readCustomerPage(db: Db, filter: CustomerPageFilter): Page<CustomerRecord> {
  // One read transaction: the total counts the rows the page was read from.
  return db.transaction(
    (tx) => {
      const { limit, rows, count } = customerPageQueries(tx, filter);
      return { ...pageOf(rows.all(), limit, (last) => encodeCustomerCursor(last.id)), total: count.get()?.n ?? 0 };
    },
    { behavior: 'deferred' },
  );
}
