/**
 * Manual re-scan requests on PostgreSQL: the same interface and behaviour as the SQLite repository
 * (a covered customer is done once `last_checked_at` reaches the request's `requested_at`).
 */
import { and, asc, eq, gt, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { RecordedRescan, RescanScope } from '../../app/request-rescan.js';
import type { RescanRequestsRepository } from '../rescan-requests-repository.js';
import { customers, rescanRequests } from '../schema.pg.js';
import { toRecordedRescan } from '../to-recorded-rescan.js';
import { anyOf } from './any-of.js';
import { hasTag, monitored, notRemoved } from './customer-conditions.js';
import type { PgHandle } from './database.js';
import { pagesById } from './pages-by-id.js';
import { pgCall } from './pg-error.js';

/** Monitored customers a fan-out of this scope covers (the CLI's estimate and the request's scope). */
const fanOutScope = (scope: Exclude<RescanScope, { kind: 'uscc' }>): SQL | undefined => and(monitored, scope.kind === 'tag' ? hasTag(scope.tag) : undefined);
const covered = (request: RecordedRescan): SQL | undefined =>
  request.scope.kind === 'uscc'
    ? and(eq(customers.uscc, request.scope.uscc), notRemoved)
    : and(fanOutScope(request.scope), lte(customers.createdAt, request.requestedAt));
const pending = (request: RecordedRescan): SQL | undefined =>
  and(covered(request), or(isNull(customers.lastCheckedAt), lt(customers.lastCheckedAt, request.requestedAt)));

/** Creates the re-scan request repository over an open (and migrated) PostgreSQL database. */
export function createPgRescanRequestsRepository(handle: PgHandle): RescanRequestsRepository {
  const { db } = handle;
  return {
    record: (requests, requestedBy, at) =>
      pgCall('cannot record the re-scan request', async () => {
        if (requests.length === 0) return [];
        // One statement, so one transaction; ids follow the order of the rows.
        const rows = await db
          .insert(rescanRequests)
          .values(
            requests.map(({ scope, force }) => ({
              requestedAt: at,
              requestedBy,
              kind: scope.kind,
              uscc: scope.kind === 'uscc' ? scope.uscc : null,
              tag: scope.kind === 'tag' ? scope.tag : null,
              force,
            })),
          )
          .returning();
        return rows.sort((a, b) => a.id - b.id).map(toRecordedRescan);
      }),

    forget: (ids) =>
      pgCall('cannot forget re-scan requests', async () => {
        if (ids.length > 0) await db.delete(rescanRequests).where(anyOf(rescanRequests.id, ids, 'integer'));
      }),

    countCovered: (scope) =>
      pgCall('cannot count the customers of a re-scan', async () => {
        const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(customers).where(fanOutScope(scope));
        return row?.n ?? 0;
      }),

    find: (id) =>
      pgCall(`cannot read re-scan request ${id}`, async () => {
        const [row] = await db.select().from(rescanRequests).where(eq(rescanRequests.id, id));
        return row === undefined ? undefined : toRecordedRescan(row);
      }),

    listOpen: () =>
      pgCall('cannot list re-scan requests', async () => (await db.select().from(rescanRequests).orderBy(asc(rescanRequests.id))).map(toRecordedRescan)),

    iteratePending: async function* (request, { pageSize = 1000 } = {}) {
      const pages = pagesById(`cannot list the customers of re-scan request ${request.id}`, pageSize, (afterId, limit) =>
        db
          .select({ id: customers.id, uscc: customers.uscc })
          .from(customers)
          .where(and(gt(customers.id, afterId), pending(request)))
          .orderBy(asc(customers.id))
          .limit(limit),
      );
      for await (const page of pages) for (const row of page) yield row.uscc;
    },

    // One statement: a request whose covered customers were all checked since it was made is deleted.
    // Safe while workers check: a check only ever turns a pending customer done (last_checked_at
    // grows), and a request recorded after this statement began is not seen by it.
    clearDone: () =>
      pgCall('cannot clear finished re-scan requests', async () => {
        const notCheckedSince = sql`(c.last_checked_at is null or c.last_checked_at < r.requested_at)`;
        const cleared = await db.execute(sql`
          delete from rescan_requests r
          where not exists (
              select 1 from customers c
              where r.kind = 'uscc' and c.uscc = r.uscc and c.removed_at is null and ${notCheckedSince})
            and not exists (
              select 1 from customers c
              where r.kind <> 'uscc' and c.removed_at is null and not c.paused and c.created_at <= r.requested_at
                and (r.kind = 'all' or c.tags ? r.tag) and ${notCheckedSince})`);
        return cleared.rowCount ?? 0;
      }),
  };
}
