/** The store (SQLite file or PostgreSQL), opened and migrated: the first resource of every process. */
import type { Config } from '../config/load-config.js';
import type { Releasers } from '../lifecycle/releasers.js';
import { createRepositories, type Repositories } from '../store/create-repositories.js';
import { migrateDatabase, openDatabase, type DatabaseHandle } from '../store/database.js';
import type { PgHandle } from '../store/pg/database.js';
import { storeCall } from '../store/store-error.js';
import type { StoreLocation } from '../store/store-location.js';

interface StoreBase {
  /** The path, or the URL without its password: for messages, logs and metrics. */
  readonly location: string;
  readonly repos: Repositories;
  /** One round trip to the database (readiness); rejects when it cannot answer. */
  ping(): Promise<void>;
  /** Closes the connection or pool; safe to call twice. */
  close(): Promise<void>;
}

export interface SqliteStore extends StoreBase {
  readonly dialect: 'sqlite';
  readonly handle: DatabaseHandle;
}

export interface PgStore extends StoreBase {
  readonly dialect: 'postgres';
  readonly handle: PgHandle;
}

export type Store = SqliteStore | PgStore;

export interface OpenStoreOptions {
  /** Epoch-ms time source for rows the caller gives no time for. Default `Date.now`. */
  clock?: () => number;
  /** Where the store's release goes; without it the caller closes the store. */
  releasers?: Releasers;
  /** Where errors of idle PostgreSQL connections go (they must not crash the process). */
  onIdleError?: (error: Error) => void;
}

/** Opens the store CM_DB names and applies its dialect's committed migrations (idempotent). */
export async function openStore(config: Pick<Config, 'store'>, options: OpenStoreOptions = {}): Promise<Store> {
  const store = config.store.dialect === 'sqlite' ? openSqliteStore(config.store.path, options) : await openPgStore(config.store, options);
  options.releasers?.push(store.dialect, () => store.close());
  return store;
}

/** The SQLite store at `path` (synchronous: better-sqlite3 is). */
export function openSqliteStore(path: string, options: Pick<OpenStoreOptions, 'clock'> = {}): SqliteStore {
  const handle = openDatabase(path);
  try {
    migrateDatabase(handle);
  } catch (error) {
    handle.close();
    throw error;
  }
  return {
    dialect: 'sqlite',
    handle,
    location: path,
    repos: createRepositories(handle, clockOption(options)),
    ping: () => storeCall(`cannot reach database ${path}`, () => { handle.sqlite.prepare('select 1').get(); }),
    close: () => {
      handle.close();
      return Promise.resolve();
    },
  };
}

async function openPgStore(location: Extract<StoreLocation, { dialect: 'postgres' }>, options: OpenStoreOptions): Promise<PgStore> {
  // Loaded only here: a SQLite process never pays for the pg driver and its schema.
  const [{ createPgRepositories }, { migratePgDatabase, openPgDatabase }, { pgCall }] = await Promise.all([
    import('../store/pg/create-pg-repositories.js'),
    import('../store/pg/database.js'),
    import('../store/pg/pg-error.js'),
  ]);
  const handle = openPgDatabase(location.url, options.onIdleError === undefined ? {} : { onIdleError: options.onIdleError });
  try {
    await migratePgDatabase(handle);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return {
    dialect: 'postgres',
    handle,
    location: handle.location,
    repos: createPgRepositories(handle, clockOption(options)),
    ping: () => pgCall(`cannot reach database ${handle.location}`, async () => { await handle.pool.query('select 1'); }),
    close: () => handle.close(),
  };
}

function clockOption(options: Pick<OpenStoreOptions, 'clock'>): { clock?: () => number } {
  return options.clock === undefined ? {} : { clock: options.clock };
}
