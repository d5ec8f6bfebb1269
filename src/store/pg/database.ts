/** Opening a PostgreSQL pool for the store, applying its committed migrations, and transactions. */
import { fileURLToPath } from 'node:url';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from '../schema.pg.js';
import { redactDatabaseUrl } from '../store-location.js';
import { toPgStoreError } from './pg-error.js';

export type PgDb = NodePgDatabase<typeof schema>;
/** What a repository runs queries on: the pool's drizzle, or a transaction's. */
export type PgExecutor = PgDb | Parameters<Parameters<PgDb['transaction']>[0]>[0];

export interface PgHandle {
  readonly dialect: 'postgres';
  /** drizzle over `pool`; repositories use this. */
  readonly db: PgDb;
  readonly pool: pg.Pool;
  /** The URL with its password replaced, for messages and logs. */
  readonly location: string;
  /** Ends the pool (waits for checked-out clients to be released); safe to call twice. */
  close(): Promise<void>;
}

export interface OpenPgOptions {
  /** Connections in the pool. Default 10. */
  poolSize?: number;
  /** A statement that runs longer is cancelled by the server, in ms. Default 30000. */
  statementTimeoutMs?: number;
  /**
   * The server ends a session left idle inside a transaction this long, in ms, releasing its row
   * locks. Default 10000: the store's transactions take milliseconds, so only a worker cut off or
   * killed mid-transaction gets there, and the other hosts wait no longer than this for its rows.
   */
  idleInTransactionTimeoutMs?: number;
  /** Where pool errors on idle clients go (a server restart); they must not crash the process. */
  onIdleError?: (error: Error) => void;
}

/** `migrations/pg/` at the package root (same depth from `src/store/pg/` and `dist/store/pg/`). */
export const DEFAULT_PG_MIGRATIONS_FOLDER = fileURLToPath(new URL('../../../migrations/pg/', import.meta.url));

// Any number; the same in every process, so concurrent `migrate`s of one database take turns.
const MIGRATION_LOCK_KEY = 0x636d6967; // "cmig"

/**
 * Opens a pool on `url`. Nothing connects until the first query; `ping` or `migratePgDatabase`
 * is where an unreachable server shows. Timeouts everywhere, so a worker cut off from the database
 * fails its work (and retries it later) instead of waiting forever: TCP keepalive, a connect
 * timeout, a statement timeout, and a server-side limit on a transaction left idle.
 */
export function openPgDatabase(url: string, options: OpenPgOptions = {}): PgHandle {
  const statementTimeoutMs = options.statementTimeoutMs ?? 30_000;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: statementTimeoutMs,
    // pg's own deadline for a query whose connection went silent (a partition), a little past the
    // server's, so a server that answers wins.
    query_timeout: statementTimeoutMs + 5_000,
    idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? 10_000,
    application_name: 'credit-monitor',
    types: { getTypeParser: typeParser },
  });
  pool.on('error', (error) => options.onIdleError?.(error));
  const location = redactDatabaseUrl(url);
  let ended: Promise<void> | undefined;
  return {
    dialect: 'postgres',
    db: drizzle(pool, { schema }),
    pool,
    location,
    close: () => (ended ??= pool.end()),
  };
}

type TypeId = Parameters<typeof pg.types.getTypeParser>[0];

/** BIGINT as a number, not pg's default string: epoch ms and counts all fit in 2^53. */
function typeParser(oid: TypeId, format: 'text' | 'binary' = 'text'): (value: string) => unknown {
  if (oid === pg.types.builtins.INT8 && format === 'text') return Number;
  return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
}

/**
 * Applies every committed migration not yet applied, under an advisory lock so that workers
 * starting together (and `credit-monitor migrate`) run them once. Idempotent.
 * @throws AppError `STORE_FAILED` (or `INPUT_UNREADABLE` for a bad URL or refused login).
 */
export async function migratePgDatabase(handle: PgHandle, options: { migrationsFolder?: string } = {}): Promise<void> {
  const migrationsFolder = options.migrationsFolder ?? DEFAULT_PG_MIGRATIONS_FOLDER;
  try {
    const client = await handle.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      try {
        await migrate(drizzle(client, { schema }), { migrationsFolder });
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      }
    } finally {
      client.release();
    }
  } catch (error) {
    throw toPgStoreError(`cannot migrate database ${handle.location}`, error);
  }
}

/** Runs `work` in one transaction (READ COMMITTED): commits on return, rolls back on throw. */
export function inPgTransaction<T>(handle: PgHandle, work: (tx: PgExecutor) => Promise<T>): Promise<T> {
  return handle.db.transaction(work);
}
