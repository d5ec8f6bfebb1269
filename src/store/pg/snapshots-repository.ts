/** Facts about the stored snapshots as a whole on PostgreSQL: the same interface as the SQLite repository. */
import { and, asc, eq, gt, isNull, max, ne, inArray } from 'drizzle-orm';
import type { SnapshotsRepository } from '../snapshots-repository.js';
import { customers, snapshots } from '../schema.pg.js';
import type { PgHandle } from './database.js';
import { pgCall } from './pg-error.js';

/** Creates the snapshots repository over an open (and migrated) PostgreSQL database. */
export function createPgSnapshotsRepository(handle: PgHandle): SnapshotsRepository {
  const { db } = handle;
  return {
    providerOtherThan: (provider) =>
      pgCall("cannot read the snapshots' providers", async () => {
        // Stops at the first match, as on SQLite.
        const [row] = await db.select({ provider: snapshots.provider }).from(snapshots).where(ne(snapshots.provider, provider)).limit(1);
        return row?.provider;
      }),

    latestSnapshotsPage: (afterId, limit) =>
      pgCall('cannot read the latest snapshots', async () => {
        const page = await db
          .select()
          .from(customers)
          .where(and(gt(customers.id, afterId), isNull(customers.removedAt), eq(customers.paused, false)))
          .orderBy(asc(customers.id))
          .limit(limit);
        if (page.length === 0) return [];
        const latestIds = db
          .select({ id: max(snapshots.id) })
          .from(snapshots)
          .where(inArray(snapshots.customerId, page.map((c) => c.id)))
          .groupBy(snapshots.customerId);
        const rows = await db.select({ customerId: snapshots.customerId, body: snapshots.body }).from(snapshots).where(inArray(snapshots.id, latestIds));
        const bodies = new Map(rows.map((row) => [row.customerId, row.body]));
        return page.map((customer) => ({ customer, body: bodies.get(customer.id) ?? null }));
      }),
  };
}
