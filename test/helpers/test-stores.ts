/**
 * The same test on both stores: a fresh SQLite file, or a fresh database on a private PostgreSQL 15
 * server (one per test file, started at the first PostgreSQL test), each opened through `openStore`
 * exactly as the daemon opens CM_DB. Register with `useTestStores(dialect)` inside a describe.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import type { Repositories } from '../../src/store/create-repositories.js';
import { parseStoreLocation } from '../../src/store/store-location.js';
import { openStore, type Store } from '../../src/wiring/open-store.js';
import { startPostgresServer, type PostgresServer } from './postgres-server.js';

export const STORE_DIALECTS = ['sqlite', 'postgres'] as const;
export type StoreDialect = (typeof STORE_DIALECTS)[number];

export interface TestStore {
  readonly dialect: StoreDialect;
  readonly store: Store;
  readonly repos: Repositories;
  /** What CM_DB would be for this store (a file path or a URL with its password). */
  readonly cmDb: string;
  /**
   * Raw SQL for fixtures and assertions the repositories do not offer, with `?` placeholders on
   * both dialects. Rows as the driver gives them: booleans are 0/1 on SQLite, JSON is text there.
   */
  sql<T = Record<string, unknown>>(text: string, ...params: unknown[]): Promise<T[]>;
}

export interface TestStores {
  /** Opens a fresh, migrated store; closed and removed after the test. */
  open(options?: { clock?: () => number }): Promise<TestStore>;
  /** A fresh empty database's CM_DB (not opened, not migrated): for commands that create it. */
  freshLocation(): Promise<string>;
  /** The PostgreSQL server (starts it); for fault tests. */
  server(): Promise<PostgresServer>;
}

export function useTestStores(dialect: StoreDialect): TestStores {
  let server: Promise<PostgresServer> | undefined;
  let databases = 0;
  const opened: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of opened.splice(0).reverse()) await close();
  });
  afterAll(async () => {
    if (server !== undefined) await (await server).stop();
  });
  const startServer = (): Promise<PostgresServer> => (server ??= startPostgresServer());

  const freshLocation = async (): Promise<string> => {
    if (dialect === 'postgres') return (await startServer()).createDatabase(`test_${process.pid}_${++databases}`);
    const dir = mkdtempSync(join(tmpdir(), 'credit-monitor-store-'));
    opened.push(() => {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    });
    return join(dir, 'data', 'credit-monitor.db');
  };

  return {
    freshLocation,
    server: startServer,
    open: async (options = {}) => {
      const cmDb = await freshLocation();
      const store = await openStore({ store: parseStoreLocation(cmDb, process.cwd()) }, options);
      opened.push(() => store.close());
      return { dialect, store, repos: store.repos, cmDb, sql: (text, ...params) => rawSql(store, text, params) };
    },
  };
}

/**
 * Raw SQL on either store with `?` placeholders (numbered for PostgreSQL here); what
 * {@link TestStore.sql} runs. A statement that returns no rows resolves to `[]`.
 */
export function rawSql<T>(store: Store, text: string, params: readonly unknown[]): Promise<T[]> {
  if (store.dialect === 'sqlite') {
    const statement = store.handle.sqlite.prepare(text);
    return Promise.resolve((statement.reader ? statement.all(...params) : (statement.run(...params), [])) as T[]);
  }
  let n = 0;
  return store.handle.pool.query(text.replace(/\?/g, () => `$${++n}`), [...params]).then((result) => result.rows as T[]);
}
