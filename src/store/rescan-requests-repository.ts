/**
 * Manual re-scan requests (DESIGN "Manual re-scans are durable"). A request's progress is not kept
 * apart: a customer it covers is done once `customers.last_checked_at` reaches `requested_at` (a
 * check that succeeded or recorded its failure, in the same transaction as its snapshot), so the
 * progress can never disagree with what was really checked.
 */
import { and, asc, eq, gt, inArray, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { RecordedRescan, RescanRequestStore, RescanScope } from '../app/request-rescan.js';
import { inWriteTransaction, type DatabaseHandle } from './database.js';
import { customers, rescanRequests } from './schema.js';
import { storeCall } from './store-error.js';
import { toRecordedRescan as toRecorded } from './to-recorded-rescan.js';

export interface RescanRequestsRepository extends RescanRequestStore {
  /** The request, or undefined once it is done (or was never recorded). */
  find(id: number): Promise<RecordedRescan | undefined>;
  /** Every request not done yet, oldest first. */
  listOpen(): Promise<RecordedRescan[]>;
  /**
   * Codes of the customers `request` covers that have not been checked since it was made, in pages of
   * `pageSize` (default 1000) by id, so memory stays bounded for any register size. Covered: the
   * customer named (unless removed), or for `all`/`tag` every monitored customer (not removed, not
   * paused) that existed when the request was made.
   */
  iteratePending(request: RecordedRescan, options?: { pageSize?: number }): AsyncGenerator<string>;
  /** Deletes every request with no customer left to check; returns how many. */
  clearDone(): Promise<number>;
}

/** Creates the re-scan request repository over an open (and migrated) database. */
export function createRescanRequestsRepository(handle: DatabaseHandle): RescanRequestsRepository {
  const { db } = handle;

  /** Monitored customers a fan-out of this scope covers (the CLI's estimate and the request's scope). */
  const fanOutScope = (scope: Exclude<RescanScope, { kind: 'uscc' }>): SQL | undefined =>
    and(
      isNull(customers.removedAt),
      eq(customers.paused, false),
      scope.kind === 'tag' ? sql`exists (select 1 from json_each(${customers.tags}) where json_each.value = ${scope.tag})` : undefined,
    );
  const covered = (request: RecordedRescan): SQL | undefined =>
    request.scope.kind === 'uscc'
      ? and(eq(customers.uscc, request.scope.uscc), isNull(customers.removedAt))
      : and(fanOutScope(request.scope), lte(customers.createdAt, request.requestedAt));
  const pending = (request: RecordedRescan): SQL | undefined =>
    and(covered(request), or(isNull(customers.lastCheckedAt), lt(customers.lastCheckedAt, request.requestedAt)));

  const hasPending = (request: RecordedRescan): boolean =>
    db.select({ id: customers.id }).from(customers).where(pending(request)).limit(1).get() !== undefined;

  return {
    record: (requests, requestedBy, at) =>
      storeCall('cannot record the re-scan request', () =>
        inWriteTransaction(handle, () =>
          requests.map(({ scope, force }) =>
            toRecorded(
              db
                .insert(rescanRequests)
                .values({
                  requestedAt: at,
                  requestedBy,
                  kind: scope.kind,
                  uscc: scope.kind === 'uscc' ? scope.uscc : null,
                  tag: scope.kind === 'tag' ? scope.tag : null,
                  force,
                })
                .returning()
                .get(),
            ),
          ),
        ),
      ),

    forget: (ids) =>
      storeCall('cannot forget re-scan requests', () => {
        if (ids.length > 0) db.delete(rescanRequests).where(inArray(rescanRequests.id, [...ids])).run();
      }),

    countCovered: (scope) =>
      storeCall('cannot count the customers of a re-scan', () =>
        db.select({ n: sql<number>`count(*)` }).from(customers).where(fanOutScope(scope)).get()?.n ?? 0,
      ),

    find: (id) =>
      storeCall(`cannot read re-scan request ${id}`, () => {
        const row = db.select().from(rescanRequests).where(eq(rescanRequests.id, id)).get();
        return row === undefined ? undefined : toRecorded(row);
      }),

    listOpen: () =>
      storeCall('cannot list re-scan requests', () =>
        db.select().from(rescanRequests).orderBy(asc(rescanRequests.id)).all().map(toRecorded),
      ),

    iteratePending: async function* (request, { pageSize = 1000 } = {}) {
      const size = Math.max(1, Math.trunc(pageSize));
      let afterId = 0;
      for (;;) {
        const page = await storeCall(`cannot list the customers of re-scan request ${request.id}`, () =>
          db
            .select({ id: customers.id, uscc: customers.uscc })
            .from(customers)
            .where(and(gt(customers.id, afterId), pending(request)))
            .orderBy(asc(customers.id))
            .limit(size)
            .all(),
        );
        for (const row of page) yield row.uscc;
        const last = page.at(-1);
        if (last === undefined || page.length < size) return;
        afterId = last.id;
      }
    },

    clearDone: () =>
      storeCall('cannot clear finished re-scan requests', () => {
        // Read outside a write transaction: scanning a large register must not hold up check commits.
        // A request found done stays done (last_checked_at only grows), so deleting it later is safe.
        const done = db.select().from(rescanRequests).all().map(toRecorded).filter((request) => !hasPending(request));
        if (done.length > 0) db.delete(rescanRequests).where(inArray(rescanRequests.id, done.map((r) => r.id))).run();
        return done.length;
      }),
  };
}
