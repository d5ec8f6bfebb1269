/**
 * A daemon under test: a temp directory with its SQLite file, a real mock provider over HTTP, a
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
import { openSqliteStore, type SqliteStore } from '../../src/wiring/open-store.js';
import { mockProviderControl, type MockProviderControl } from './mock-provider-control.js';

/** The project root, where config/default.json lives. */
export const PROJECT_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface WorkerHarness {
  readonly dir: string;
  readonly dbPath: string;
  readonly prefix: string;
  readonly mock: MockProviderServer;
  readonly control: MockProviderControl;
  /** The environment a worker of this harness gets (process.env is not read). */
  env(extra?: Record<string, string>): Record<string, string>;
  config(extra?: Record<string, string>): Readonly<Config>;
  /** A separate connection to the same SQLite file, for seeding and assertions. */
  readonly store: SqliteStore;
  /** Starts one more in-process worker; closed (forced) by cleanup() unless closed before. */
  startWorker(extraEnv?: Record<string, string>, options?: WorkerOptions): Promise<RunningWorker>;
  cleanup(): Promise<void>;
}

export async function createWorkerHarness(opts: {
  redisUrl: string;
  state: MockState;
  /** Environment shared by every worker of this harness. */
  env?: Record<string, string>;
  /** The URL workers use for the provider instead of the mock's own (e.g. a recording proxy). */
  providerUrl?: string;
}): Promise<WorkerHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'cm-worker-'));
  const dbPath = join(dir, 'data', 'credit-monitor.db');
  const prefix = `cmtest-${randomBytes(4).toString('hex')}`;
  const mock = await startMockProviderServer({ state: opts.state });
  const control = mockProviderControl(mock);
  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    REDIS_URL: opts.redisUrl,
    CM_DB: dbPath,
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
  const store = openSqliteStore(dbPath);
  const workers: RunningWorker[] = [];

  return {
    dir,
    dbPath,
    prefix,
    mock,
    control,
    env,
    config,
    store,
    startWorker: async (extraEnv, options) => {
      const worker = await startWorker(config(extraEnv), createLogger('silent'), options);
      workers.push(worker);
      return worker;
    },
    cleanup: async () => {
      await Promise.allSettled(workers.map((w) => w.close(true)));
      await mock.close();
      void store.close();
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
  baseline: number;
  payload: string;
}

export function eventRows(store: SqliteStore): EventRow[] {
  return sqlAll<EventRow>(
    store,
    'select e.id, c.uscc, e.type, e.baseline, e.payload from events e join customers c on c.id = e.customer_id order by e.detected_at',
  );
}

export interface DeliveryRow {
  id: string;
  event_id: string;
  channel: string;
  status: string;
  attempts: number;
}

export function deliveryRows(store: SqliteStore): DeliveryRow[] {
  return sqlAll<DeliveryRow>(store, 'select id, event_id, channel, status, attempts from deliveries');
}

/** Customers with their check state. */
export function customerRows(store: SqliteStore): Array<{ uscc: string; last_checked_at: number | null; consecutive_failures: number }> {
  return sqlAll(store, 'select uscc, last_checked_at, consecutive_failures from customers order by id');
}
