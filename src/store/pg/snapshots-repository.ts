/** Facts about the stored snapshots as a whole on PostgreSQL: the same interface as the SQLite repository. */
import { ne } from 'drizzle-orm';
import type { SnapshotsRepository } from '../snapshots-repository.js';
import { snapshots } from '../schema.pg.js';
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
  };
}
