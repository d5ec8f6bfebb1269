/** Small key/value facts about the installation (e.g. `last_sweep_at`). */
import { eq } from 'drizzle-orm';
import type { DatabaseHandle } from './database.js';
import { meta } from './schema.js';
import { storeCall } from './store-error.js';

export interface MetaRepository {
  get(key: string): Promise<string | undefined>;
  /** Inserts or replaces. */
  set(key: string, value: string): Promise<void>;
  /**
   * Inserts only when the key is absent; true when this call inserted it. Atomic in SQLite, so among
   * several workers sharing the file exactly one wins.
   */
  setIfAbsent(key: string, value: string): Promise<boolean>;
  /** Removes the key; true when it was there. */
  delete(key: string): Promise<boolean>;
}

/** Creates the meta repository over an open (and migrated) database. */
export function createMetaRepository(handle: DatabaseHandle): MetaRepository {
  const { db } = handle;
  return {
    get: (key) =>
      storeCall(`cannot read meta ${key}`, () => db.select().from(meta).where(eq(meta.key, key)).get()?.value),
    set: (key, value) =>
      storeCall(`cannot write meta ${key}`, () => {
        db.insert(meta).values({ key, value }).onConflictDoUpdate({ target: meta.key, set: { value } }).run();
      }),
    setIfAbsent: (key, value) =>
      storeCall(`cannot write meta ${key}`, () => db.insert(meta).values({ key, value }).onConflictDoNothing().run().changes === 1),
    delete: (key) => storeCall(`cannot delete meta ${key}`, () => db.delete(meta).where(eq(meta.key, key)).run().changes === 1),
  };
}
