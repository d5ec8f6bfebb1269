/** The SQLite store, opened and migrated: the first resource of every process. */
import type { Config } from '../config/load-config.js';
import type { Releasers } from '../lifecycle/releasers.js';
import { createRepositories, type Repositories } from '../store/create-repositories.js';
import { migrateDatabase, openDatabase, type DatabaseHandle } from '../store/database.js';

export interface Store {
  handle: DatabaseHandle;
  repos: Repositories;
  close(): void;
}

export interface OpenStoreOptions {
  /** Epoch-ms time source for rows the caller gives no time for. Default `Date.now`. */
  clock?: () => number;
  /** Where the store's release goes; without it the caller closes the store. */
  releasers?: Releasers;
}

/** Opens the SQLite store and applies committed migrations (idempotent). */
export function openStore(config: Pick<Config, 'dbPath'>, options: OpenStoreOptions = {}): Store {
  const handle = openDatabase(config.dbPath);
  try {
    migrateDatabase(handle);
  } catch (error) {
    handle.close();
    throw error;
  }
  const repos = createRepositories(handle, options.clock === undefined ? {} : { clock: options.clock });
  const store: Store = { handle, repos, close: () => { handle.close(); } };
  options.releasers?.push('sqlite', () => { store.close(); });
  return store;
}
