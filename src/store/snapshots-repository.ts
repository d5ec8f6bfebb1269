/** Facts about the stored snapshots as a whole (who produced them), for start-up checks. */
import { ne } from 'drizzle-orm';
import type { DatabaseHandle } from './database.js';
import { snapshots } from './schema.js';
import { storeCall } from './store-error.js';

export interface SnapshotsRepository {
  /** A provider other than `provider` that produced any stored snapshot, or undefined if none did. */
  providerOtherThan(provider: string): Promise<string | undefined>;
}

export function createSnapshotsRepository(handle: DatabaseHandle): SnapshotsRepository {
  const { db } = handle;
  return {
    providerOtherThan: (provider) =>
      storeCall('cannot read the snapshots\' providers', () =>
        // Stops at the first match: instant on a real provider's store, a short scan on a demo's.
        db.select({ provider: snapshots.provider }).from(snapshots).where(ne(snapshots.provider, provider)).limit(1).get()?.provider,
      ),
  };
}
