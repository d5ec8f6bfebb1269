/** Opening the SQLite file with the pragmas the design requires, and applying committed migrations. */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { ensurePrivateDir, ensurePrivateFile } from './private-files.js';
import * as schema from './schema.js';
import { toStoreError } from './store-error.js';

export type Db = BetterSQLite3Database<typeof schema>;

export interface DatabaseHandle {
  /** drizzle over `sqlite`; repositories use this. */
  readonly db: Db;
  /** The raw connection, for pragmas, checkpoints and tests. */
  readonly sqlite: Database.Database;
  /** The path it was opened with. */
  readonly path: string;
  /** Closes the connection; safe to call twice. */
  close(): void;
}

export interface OpenDatabaseOptions {
  /** How long a writer waits for another connection's lock before SQLITE_BUSY, in ms. Default 5000. */
  busyTimeoutMs?: number;
  /** Refuse to create a new file (for commands that only read). Default false. */
  fileMustExist?: boolean;
}

export interface MigrateOptions {
  /** Folder holding drizzle-kit's SQL and `meta/_journal.json`. Default: `migrations/` at the package root. */
  migrationsFolder?: string;
}

/**
 * `migrations/` at the package root. `src/store/` (tests) and `dist/store/` (built) sit at the
 * same depth, so one relative URL serves both.
 */
export const DEFAULT_MIGRATIONS_FOLDER = fileURLToPath(new URL('../../migrations/', import.meta.url));

/**
 * Opens (creating it and its directory if needed, owner-only: 0600 and 0700; an existing file and its
 * -wal/-shm lose group and other access) the SQLite database at `path` with WAL,
 * `synchronous=FULL` (better-sqlite3 would silently use NORMAL under WAL, and an accepted alert must
 * survive power loss), foreign keys on and a busy timeout.
 * @throws AppError `INPUT_UNREADABLE` when the file is not a SQLite database, `STORE_FAILED` otherwise.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): DatabaseHandle {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  let sqlite: Database.Database | undefined;
  try {
    if (!isMemoryPath(path) && options.fileMustExist !== true) {
      // Owner-only: the store holds customers and legal representatives. SQLite creates the -wal and
      // -shm files with the main file's permissions, so creating that one 0600 covers all three.
      ensurePrivateDir(dirname(path));
      ensurePrivateFile(path);
      for (const companion of [`${path}-wal`, `${path}-shm`]) if (existsSync(companion)) ensurePrivateFile(companion);
    }
    sqlite = new Database(path, { timeout: busyTimeoutMs, fileMustExist: options.fileMustExist ?? false });
    // journal_mode is the first statement that reads the file, so a non-database fails here.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma(`busy_timeout = ${String(Math.trunc(busyTimeoutMs))}`);
  } catch (error) {
    sqlite?.close();
    throw toStoreError(`cannot open database ${path}`, error);
  }
  const connection = sqlite;
  return {
    db: drizzle(connection, { schema }),
    sqlite: connection,
    path,
    close: () => {
      if (connection.open) connection.close();
    },
  };
}

/**
 * Applies every committed migration not yet applied (drizzle's journal in `__drizzle_migrations`).
 * Idempotent; safe at every worker start.
 * @throws AppError `INPUT_UNREADABLE` for a file that is not a SQLite database, `STORE_FAILED` otherwise.
 */
export function migrateDatabase(handle: DatabaseHandle, options: MigrateOptions = {}): void {
  const migrationsFolder = options.migrationsFolder ?? DEFAULT_MIGRATIONS_FOLDER;
  try {
    migrate(handle.db, { migrationsFolder });
  } catch (first) {
    // drizzle reads the applied list before its (deferred) BEGIN, so a second process migrating at
    // the same moment (worker start next to `credit-monitor migrate`) fails on "table exists" once
    // the first commits. Re-reading the list then finds nothing left to do.
    try {
      migrate(handle.db, { migrationsFolder });
    } catch {
      throw toStoreError(`cannot migrate database ${handle.path}`, first);
    }
  }
}

/** In-memory and anonymous temporary databases have no directory to create. */
function isMemoryPath(path: string): boolean {
  return path === ':memory:' || path === '';
}

/**
 * Runs `work` in one `BEGIN IMMEDIATE` transaction: commits on return, rolls back on throw. IMMEDIATE
 * takes the write lock up front, so a transaction that reads before it writes waits on the busy
 * timeout instead of failing at once with SQLITE_BUSY when another connection wrote in between.
 * `work` must be synchronous: better-sqlite3 would commit at the first `await`.
 */
export function inWriteTransaction<T>(handle: DatabaseHandle, work: () => T): T {
  return handle.sqlite.transaction(work).immediate();
}
