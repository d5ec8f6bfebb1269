/** Small key/value facts about the installation on PostgreSQL: the same interface as the SQLite repository. */
import { eq } from 'drizzle-orm';
import type { MetaRepository } from '../meta-repository.js';
import { meta } from '../schema.pg.js';
import type { PgHandle } from './database.js';
import { pgCall } from './pg-error.js';

/** Creates the meta repository over an open (and migrated) PostgreSQL database. */
export function createPgMetaRepository(handle: PgHandle): MetaRepository {
  const { db } = handle;
  return {
    get: (key) =>
      pgCall(`cannot read meta ${key}`, async () => (await db.select({ value: meta.value }).from(meta).where(eq(meta.key, key)))[0]?.value),

    set: (key, value) =>
      pgCall(`cannot write meta ${key}`, async () => {
        await db.insert(meta).values({ key, value }).onConflictDoUpdate({ target: meta.key, set: { value } });
      }),

    // A caller that meets another's uncommitted insert of the key waits for it: it loses if that one
    // commits and wins if it rolls back, so exactly one of any number of racing callers wins.
    setIfAbsent: (key, value) =>
      pgCall(`cannot write meta ${key}`, async () => {
        const inserted = await db.insert(meta).values({ key, value }).onConflictDoNothing({ target: meta.key }).returning({ key: meta.key });
        return inserted.length === 1;
      }),

    delete: (key) =>
      pgCall(`cannot delete meta ${key}`, async () => (await db.delete(meta).where(eq(meta.key, key)).returning({ key: meta.key })).length === 1),
  };
}
