/**
 * A daemon under test: a temp directory, a store (a SQLite file by default, or a fresh database on
 * a private PostgreSQL 15 server with `dialect: 'postgres'`), a real mock provider over HTTP, a
 * unique queue prefix, and `startWorker` wired to them. Everything started here is closed by
 * `cleanup()`. The redis-server is the caller's (one per test file).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from '../../src/config/load-config.js';
import { createLogger } from '../../src/logger.js';
import { startMockProviderServer, type MockProviderServer } from '../../src/providers/mock/server.js';
import type { MockState } from '../../src/providers/mock/state.js';
import { startWorker, type RunningWorker, type WorkerOptions } from '../../src/main.js';
import { parseStoreLocation } from '../../src/store/store-location.js';
import { openSqliteStore, openStore, type SqliteStore, type Store } from '../../src/wiring/open-store.js';
import { mockProviderControl, type MockProviderControl } from './mock-provider-control.js';
import { startPostgresServer, type PostgresServer } from './postgres-server.js';
import { rawSql, type StoreDialect } from './test-stores.js';

/** The project root, where config/default.json lives. */
export const PROJECT_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface WorkerHarness<S extends Store = SqliteStore> {
  readonly dialect: S['dialect'];
  readonly dir: string;
  /** CM_DB of every worker: the SQLite file's path, or the PostgreSQL database's URL. */
  readonly cmDb: string;
  /** The SQLite file (SQLite only; on PostgreSQL the same as `cmDb`). */
  readonly dbPath: string;
  readonly prefix: string;
  readonly mock: MockProviderServer;
  readonly control: MockProviderControl;
  /** The environment a worker of this harness gets (process.env is not read). */
  env(extra?: Record<string, string>): Record<string, string>;
  config(extra?: Record<string, string>): Readonly<Config>;
  /** A separate connection to the same store, for seeding and assertions. */
  readonly store: S;
  /** Raw SQL on that store, `?` placeholders on both dialects (see test-stores.ts). */
  sql<T = Record<string, unknown>>(text: string, ...params: unknown[]): Promise<T[]>;
  /** Starts one more in-process worker; closed (forced) by cleanup() unless closed before. */
  startWorker(extraEnv?: Record<string, string>, options?: WorkerOptions): Promise<RunningWorker>;
  cleanup(): Promise<void>;
}

export interface WorkerHarnessOptions {
  redisUrl: string;
  state: MockState;
  /** Environment shared by every worker of this harness. */
  env?: Record<string, string>;
  /** The URL workers use for the provider instead of the mock's own (e.g. a recording proxy). */
  providerUrl?: string;
}

/** The PostgreSQL side of a harness: the caller's server, or one of its own (stopped by cleanup). */
export interface PostgresHarnessOptions {
  dialect: StoreDialect;
  /** A running server to create the database on; default a private one per harness. */
  postgres?: PostgresServer;
}

let databases = 0;

export function createWorkerHarness(opts: WorkerHarnessOptions & { dialect?: 'sqlite' }): Promise<WorkerHarness>;
export function createWorkerHarness(opts: WorkerHarnessOptions & PostgresHarnessOptions): Promise<WorkerHarness<Store>>;
export async function createWorkerHarness(opts: WorkerHarnessOptions & Partial<PostgresHarnessOptions>): Promise<WorkerHarness<Store>> {
  const dir = mkdtempSync(join(tmpdir(), 'cm-worker-'));
  const dialect = opts.dialect ?? 'sqlite';
  const ownServer = dialect === 'postgres' && opts.postgres === undefined ? await startPostgresServer() : undefined;
  const server = dialect === 'postgres' ? (opts.postgres ?? ownServer) : undefined;
  const cmDb = server === undefined
    ? join(dir, 'data', 'credit-monitor.db')
    : await server.createDatabase(`harness_${process.pid}_${++databases}`);
  const prefix = `cmtest-${randomBytes(4).toString('hex')}`;
  const mock = await startMockProviderServer({ state: opts.state });
  const control = mockProviderControl(mock);
  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    REDIS_URL: opts.redisUrl,
    CM_DB: cmDb,
    CM_QUEUE_PREFIX: prefix,
    CM_PROVIDER: 'mock',
    CM_PROVIDER_URL: opts.providerUrl ?? mock.url,
    CM_PROVIDER_RATE: '100',
    CM_SCAN_INTERVAL: '24h',
    CM_SHUTDOWN_GRACE: '5s',
    CM_RATE_LIMIT_PAUSE: '1s',
    CM_HTTP_PORT: '0',
    LOG_LEVEL: 'silent',
    ...opts.env,
    ...extra,
  });
  const config = (extra?: Record<string, string>): Readonly<Config> => loadConfig(env(extra), PROJECT_ROOT);
  const store: Store = dialect === 'sqlite' ? openSqliteStore(cmDb) : await openStore({ store: parseStoreLocation(cmDb, dir) });
  const workers: RunningWorker[] = [];

  return {
    dialect,
    dir,
    cmDb,
    dbPath: cmDb,
    prefix,
    mock,
    control,
    env,
    config,
    store,
    sql: (text, ...params) => rawSql(store, text, params),
    startWorker: async (extraEnv, options) => {
      const worker = await startWorker(config(extraEnv), createLogger('silent'), options);
      workers.push(worker);
      return worker;
    },
    cleanup: async () => {
      await Promise.allSettled(workers.map((w) => w.close(true)));
      await mock.close();
      await store.close();
      await ownServer?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Rows straight from SQLite, for assertions the repositories do not offer. */
export function sqlAll<T>(store: SqliteStore, query: string, ...params: unknown[]): T[] {
  return store.handle.sqlite.prepare(query).all(...params) as T[];
}

export interface EventRow {
  id: string;
  uscc: string;
  type: string;
  /** 0 or 1 on both dialects. */
  baseline: number;
  /** The payload as JSON text (PostgreSQL's jsonb text has its own key order: compare within one dialect). */
  payload: string;
}

// Each query reads the same on both dialects: casts make PostgreSQL's boolean and jsonb look like SQLite's.
const EVENT_ROWS =
  'select e.id, c.uscc, e.type, cast(e.baseline as integer) as baseline, cast(e.payload as text) as payload from events e join customers c on c.id = e.customer_id order by e.detected_at';
const DELIVERY_ROWS = 'select id, event_id, channel, status, attempts from deliveries';
const CUSTOMER_ROWS = 'select uscc, last_checked_at, consecutive_failures from customers order by id';

export function eventRows(store: SqliteStore): EventRow[] {
  return sqlAll<EventRow>(store, EVENT_ROWS);
}

export interface DeliveryRow {
  id: string;
  event_id: string;
  channel: string;
  status: string;
  attempts: number;
}

export function deliveryRows(store: SqliteStore): DeliveryRow[] {
  return sqlAll<DeliveryRow>(store, DELIVERY_ROWS);
}

export interface CustomerRow {
  uscc: string;
  last_checked_at: number | null;
  consecutive_failures: number;
}

/** Customers with their check state. */
export function customerRows(store: SqliteStore): CustomerRow[] {
  return sqlAll(store, CUSTOMER_ROWS);
}

type Sql = Pick<WorkerHarness<Store>, 'sql'>;

/** {@link eventRows} on either dialect. */
export function readEvents(h: Sql): Promise<EventRow[]> {
  return h.sql<EventRow>(EVENT_ROWS);
}

/** {@link deliveryRows} on either dialect. */
export function readDeliveries(h: Sql): Promise<DeliveryRow[]> {
  return h.sql<DeliveryRow>(DELIVERY_ROWS);
}

/** {@link customerRows} on either dialect. */
export function readCustomers(h: Sql): Promise<CustomerRow[]> {
  return h.sql<CustomerRow>(CUSTOMER_ROWS);
}
