/** One end of a copy (a SQLite file or a PostgreSQL database), behind what `copyStore` needs of it. */
import { existsSync } from 'node:fs';
import { AppError } from '../../errors.js';
import { migrateDatabase, openDatabase } from '../database.js';
import { migratePgDatabase, openPgDatabase } from '../pg/database.js';
import { storeCall } from '../store-error.js';
import { describeStoreLocation, type StoreLocation } from '../store-location.js';
import type { BatchReader, BatchWriter } from './batch-reader.js';
import type { MigrationState } from './migration-state.js';
import { beginPgSnapshot, createPgBatchReader } from './pg-batch-reader.js';
import { createPgBatchWriter } from './pg-batch-writer.js';
import { pgMigrationState, pgTablesWithRows } from './pg-store-state.js';
import { beginSqliteSnapshot, createSqliteBatchReader } from './sqlite-batch-reader.js';
import { createSqliteBatchWriter } from './sqlite-batch-writer.js';
import { sqliteMigrationState, sqliteTablesWithRows } from './sqlite-store-state.js';

export interface CopyEnd {
  readonly dialect: StoreLocation['dialect'];
  /** The path, or the URL without its password: for messages. */
  readonly location: string;
  /** Reads as of each statement (for the destination's verification). */
  readonly reader: BatchReader;
  readonly writer: BatchWriter;
  migrationState(): Promise<MigrationState>;
  /** Names of the tables (any table, not only the store's) holding at least one row. */
  tablesWithRows(): Promise<string[]>;
  /** Applies the dialect's committed migrations. */
  migrate(): Promise<void>;
  /** A reader on one moment of the store, held until `end`. */
  snapshot(): Promise<{ reader: BatchReader; end(): Promise<void> }>;
  close(): Promise<void>;
}

// The copy is an operator's command over whole tables: a count may take longer than a worker's query.
const COPY_STATEMENT_TIMEOUT_MS = 10 * 60_000;

/** Opens `location`; a source SQLite file must exist (a missing one is not created). */
export function openCopyEnd(location: StoreLocation, role: 'source' | 'destination'): CopyEnd {
  return location.dialect === 'sqlite' ? openSqliteEnd(location.path, role) : openPgEnd(location.url);
}

function openSqliteEnd(path: string, role: 'source' | 'destination'): CopyEnd {
  if (role === 'source' && !existsSync(path)) throw new AppError('INPUT_UNREADABLE', `source ${path} does not exist`);
  const handle = openDatabase(path, { fileMustExist: role === 'source' });
  const reader = createSqliteBatchReader(handle);
  return {
    dialect: 'sqlite',
    location: describeStoreLocation({ dialect: 'sqlite', path }),
    reader,
    writer: createSqliteBatchWriter(handle),
    migrationState: () => sqliteMigrationState(handle),
    tablesWithRows: () => sqliteTablesWithRows(handle),
    migrate: () => storeCall(`cannot migrate ${path}`, () => { migrateDatabase(handle); }),
    snapshot: () =>
      storeCall(`cannot read ${path}`, () => {
        const snapshot = beginSqliteSnapshot(handle);
        return { reader, end: () => storeCall(`cannot read ${path}`, () => { snapshot.end(); }) };
      }),
    close: () => {
      handle.close();
      return Promise.resolve();
    },
  };
}

function openPgEnd(url: string): CopyEnd {
  // An idle client's error (a server restart) must not crash the command; the next query reports it.
  const handle = openPgDatabase(url, { poolSize: 4, statementTimeoutMs: COPY_STATEMENT_TIMEOUT_MS, onIdleError: () => undefined });
  return {
    dialect: 'postgres',
    location: handle.location,
    reader: createPgBatchReader(handle.db, handle.location),
    writer: createPgBatchWriter(handle),
    migrationState: () => pgMigrationState(handle),
    tablesWithRows: () => pgTablesWithRows(handle),
    migrate: () => migratePgDatabase(handle),
    snapshot: () => beginPgSnapshot(handle),
    close: () => handle.close(),
  };
}
