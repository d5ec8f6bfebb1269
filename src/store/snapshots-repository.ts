import { and, asc, eq, gt, inArray, isNull, max, ne } from 'drizzle-orm';
import type { Customer } from '../app/ports.js';
import type { Snapshot } from '../domain/snapshot.js';
import type { DatabaseHandle } from './database.js';
import { customers, snapshots } from './schema.js';
import { storeCall } from './store-error.js';

/** A monitored customer with the body of its latest snapshot (null: never read). */
export interface LatestSnapshot {
  customer: Customer;
  body: Snapshot | null;
}

export interface SnapshotsRepository {
  /** A provider other than `provider` that produced any stored snapshot, or undefined if none did. */
  providerOtherThan(provider: string): Promise<string | undefined>;
  /**
   * Up to `limit` monitored customers (neither paused nor removed) with ids above `afterId`, by id,
   * each with its latest snapshot's body: a keyset page, so a pass over the register has bounded memory.
   */
  latestSnapshotsPage(afterId: number, limit: number): Promise<LatestSnapshot[]>;
}

export function createSnapshotsRepository(handle: DatabaseHandle): SnapshotsRepository {
  const { db } = handle;
  return {
    providerOtherThan: (provider) =>
      storeCall('cannot read the snapshots\' providers', () =>
        // Stops at the first match: instant on a real provider's store, a short scan on a demo's.
        db.select({ provider: snapshots.provider }).from(snapshots).where(ne(snapshots.provider, provider)).limit(1).get()?.provider,
      ),

    latestSnapshotsPage: (afterId, limit) =>
      storeCall('cannot read the latest snapshots', () => {
        const page = db
          .select()
          .from(customers)
          .where(and(gt(customers.id, afterId), isNull(customers.removedAt), eq(customers.paused, false)))
          .orderBy(asc(customers.id))
          .limit(limit)
          .all();
        if (page.length === 0) return [];
        const latestIds = db
          .select({ id: max(snapshots.id) })
          .from(snapshots)
          .where(inArray(snapshots.customerId, page.map((c) => c.id)))
          .groupBy(snapshots.customerId);
        const bodies = new Map(
          db.select({ customerId: snapshots.customerId, body: snapshots.body }).from(snapshots).where(inArray(snapshots.id, latestIds)).all()
            .map((row) => [row.customerId, row.body]),
        );
        return page.map((customer) => ({ customer, body: bodies.get(customer.id) ?? null }));
      }),
  };
}
