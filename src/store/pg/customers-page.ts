/** One page of the customer register on PostgreSQL (see `../customers-page.ts`). */
import { and, asc, gt, sql } from 'drizzle-orm';
import type { CustomerPageFilter, Page } from '../../app/page-ports.js';
import type { CustomerRecord } from '../customers-repository.js';
import { customerPageConditions, type CustomerPageTables } from '../page-conditions.js';
import { checkedPageLimit, decodeCustomerCursor, encodeCustomerCursor, pageOf } from '../page-cursor.js';
import { customers, events } from '../schema.pg.js';
import { hasTag } from './customer-conditions.js';
import type { PgExecutor, PgHandle } from './database.js';

const tables: CustomerPageTables = { customers, events, hasTag };

/**
 * The statements of one page: its rows (one more than `limit`, to tell whether another page
 * follows) and the count of every match. Exported so a test can read their query plans.
 * @throws AppError `USAGE` for a malformed cursor or limit.
 */
export function customerPageQueries(executor: PgExecutor, filter: CustomerPageFilter) {
  const limit = checkedPageLimit(filter.limit);
  const after = filter.cursor === undefined ? undefined : gt(customers.id, decodeCustomerCursor(filter.cursor));
  const matching = customerPageConditions(tables, filter);
  return {
    limit,
    rows: executor
      .select()
      .from(customers)
      .where(and(matching, after))
      .orderBy(asc(customers.id))
      .limit(limit + 1),
    count: executor.select({ n: sql<number>`count(*)::int` }).from(customers).where(matching),
  };
}

/** The customers `filter` matches, by id; its `total` leaves the cursor out. Both read one snapshot. */
export function readPgCustomerPage(handle: PgHandle, filter: CustomerPageFilter): Promise<Page<CustomerRecord>> {
  return handle.db.transaction(
    async (tx) => {
      const { limit, rows, count } = customerPageQueries(tx, filter);
      const page = pageOf(await rows, limit, (last) => encodeCustomerCursor(last.id));
      const [total] = await count;
      return { ...page, total: total?.n ?? 0 };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}
