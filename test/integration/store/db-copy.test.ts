import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { copyStore, type CopyReport } from '../../../src/store/copy/copy-store.js';
import type { CopyProgress } from '../../../src/store/copy/copy-progress.js';
import { COPY_TABLES } from '../../../src/store/copy/copy-tables.js';
import { DEFAULT_MIGRATIONS_FOLDER, migrateDatabase, openDatabase, type DatabaseHandle } from '../../../src/store/database.js';
import { DEFAULT_PG_MIGRATIONS_FOLDER, openPgDatabase } from '../../../src/store/pg/database.js';
import { parseStoreLocation } from '../../../src/store/store-location.js';
import { dumpSqliteStore, fillFullStore } from '../../helpers/full-store-fixture.js';
import { STORE_DIALECTS, useTestStores, type TestStore } from '../../helpers/test-stores.js';

const at = (cmDb: string) => parseStoreLocation(cmDb, process.cwd());
const sqliteOf = (store: TestStore): DatabaseHandle => {
  if (store.store.dialect !== 'sqlite') throw new Error('expected SQLite');
  return store.store.handle;
};
const verdicts = (report: CopyReport) => Object.fromEntries(report.tables.map((t) => [t.table, t.ok]));
const ROW_COUNTS = { customers: 3, snapshots: 2, cases: 2, events: 4, deliveries: 3, audit_log: 2, meta: 2, webhook_targets: 2, digests: 1, rescan_requests: 2, delivery_targets: 2, grade_history: 2, trading_figures: 3, api_tokens: 2 };

async function pgQuery<T>(url: string, text: string): Promise<T[]> {
  const handle = openPgDatabase(url);
  try {
    return (await handle.pool.query(text)).rows as T[];
  } finally {
    await handle.close();
  }
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('db copy between SQLite and PostgreSQL', () => {
  const sqlite = useTestStores('sqlite');
  const postgres = useTestStores('postgres');

  async function filledSqlite(): Promise<TestStore> {
    const source = await sqlite.open();
    fillFullStore(sqliteOf(source).sqlite);
    return source;
  }

  it('copies SQLite to PostgreSQL and back with every row equal, ties in order and ids never reused', async () => {
    const source = await filledSqlite();
    const pgUrl = await postgres.freshLocation();
    const backPath = await sqlite.freshLocation();

    const there = await copyStore(at(source.cmDb), at(pgUrl), { batchSize: 2 });
    expect(Object.values(verdicts(there)).every(Boolean)).toBe(true);
    expect(Object.fromEntries(there.tables.map((t) => [t.table, t.source.rows]))).toEqual(ROW_COUNTS);
    const back = await copyStore(at(pgUrl), at(backPath), { batchSize: 3 });
    expect(Object.values(verdicts(back)).every(Boolean)).toBe(true);
    // The same content hash on all three: computed from decoded rows, whatever the dialect.
    expect(back.tables.map((t) => t.source.hash)).toEqual(there.tables.map((t) => t.source.hash));

    const copied = openDatabase(backPath, { fileMustExist: true });
    try {
      expect(dumpSqliteStore(copied.sqlite)).toEqual(dumpSqliteStore(sqliteOf(source).sqlite));
      const next = copied.sqlite.prepare("INSERT INTO rescan_requests (requested_at, requested_by, kind) VALUES (1, 'test', 'all') RETURNING id").get();
      expect(next).toEqual({ id: 4 });
      const grade = copied.sqlite.prepare("INSERT INTO grade_history (customer_id, at, grade, previous_grade) VALUES (1, 1, 'good', 'risk') RETURNING id").get();
      expect(grade).toEqual({ id: 4 });
    } finally {
      copied.close();
    }
    expect(await pgQuery(pgUrl, 'SELECT id FROM events ORDER BY seq')).toEqual(['evt-c', 'evt-a', 'evt-b', 'evt-0'].map((id) => ({ id })));
    expect(await pgQuery(pgUrl, "INSERT INTO rescan_requests (requested_at, requested_by, kind) VALUES (1, 'test', 'all') RETURNING id")).toEqual([{ id: 4 }]);
    expect(await pgQuery(pgUrl, "INSERT INTO grade_history (customer_id, at, grade, previous_grade) VALUES (1, 1, 'good', 'risk') RETURNING id")).toEqual([{ id: 4 }]);
    expect(await pgQuery(pgUrl, "INSERT INTO customers (uscc, name, created_at, updated_at) VALUES ('91440300708461136T', 'n', 1, 1) RETURNING id")).toEqual([{ id: 4 }]);
  });

  it.each(STORE_DIALECTS)('refuses a non-empty %s destination and leaves it as it was', async (dialect) => {
    const source = await filledSqlite();
    const destination = dialect === 'sqlite' ? await sqlite.open() : await postgres.open();
    await destination.sql("INSERT INTO meta (key, value) VALUES ('k', 'v')");
    const failure = await copyStore(at(source.cmDb), at(destination.cmDb)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code: 'USAGE', message: expect.stringContaining('is not empty (rows in meta)') });
    const message = (failure as AppError).message;
    expect(message).toContain(destination.store.location);
    if (dialect === 'postgres') expect(message).not.toContain(new URL(destination.cmDb).password);
    expect(await destination.sql('SELECT key, value FROM meta')).toEqual([{ key: 'k', value: 'v' }]);
    expect(await destination.sql('SELECT count(*) AS n FROM customers')).toEqual([{ n: 0 }]);
  });

  it('catches a row changed in the destination between the copy and the verification, naming its table', async () => {
    const source = await filledSqlite();
    const destination = await postgres.freshLocation();
    const report = await copyStore(at(source.cmDb), at(destination), {
      beforeVerify: async () => {
        await pgQuery(destination, `UPDATE events SET payload = jsonb_set(payload, '{entry,reason}', '"changed"') WHERE id = 'evt-c'`);
      },
    });
    expect(verdicts(report)).toEqual({ ...Object.fromEntries(COPY_TABLES.map((t) => [t.name, true])), events: false });
    const events = report.tables.find((t) => t.table === 'events');
    expect(events?.destination.rows).toBe(4);
    expect(events?.destination.hash).not.toBe(events?.source.hash);
  });

  it('catches tied events whose order changed in the destination, though every row is equal', async () => {
    const source = await filledSqlite();
    const destination = await sqlite.freshLocation();
    const report = await copyStore(at(source.cmDb), at(destination), {
      beforeVerify: async () => {
        const handle = openDatabase(destination, { fileMustExist: true });
        handle.sqlite.prepare("UPDATE events SET rowid = 100 WHERE id = 'evt-c'").run();
        handle.close();
        await Promise.resolve();
      },
    });
    expect(report.tables.filter((t) => !t.ok).map((t) => t.table)).toEqual(['events']);
  });

  it('reports progress per table, copy then verify, ending at the source count', async () => {
    const source = await filledSqlite();
    const reports: CopyProgress[] = [];
    await copyStore(at(source.cmDb), at(await postgres.freshLocation()), { batchSize: 1, progressIntervalMs: 0, onProgress: (p) => reports.push(p) });
    const customers = reports.filter((p) => p.table === 'customers');
    expect(customers.map((p) => [p.phase, p.done, p.total])).toEqual([
      ['copy', 1, 3], ['copy', 2, 3], ['copy', 3, 3], ['copy', 3, 3],
      ['verify', 1, 3], ['verify', 2, 3], ['verify', 3, 3], ['verify', 3, 3],
    ]);
    for (const table of COPY_TABLES) {
      const last = reports.filter((p) => p.table === table.name && p.phase === 'verify').at(-1);
      expect(last).toMatchObject({ done: ROW_COUNTS[table.name as keyof typeof ROW_COUNTS], total: ROW_COUNTS[table.name as keyof typeof ROW_COUNTS] });
    }
  });
});

describe('db copy refuses a source that is not on the latest migration', () => {
  const sqlite = useTestStores('sqlite');
  const postgres = useTestStores('postgres');

  it('refuses a SQLite store migrated only part way, and creates no destination', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cm-copy-'));
    cleanups.push(() => { rmSync(dir, { recursive: true, force: true }); });
    const folder = join(dir, 'migrations');
    cpSync(DEFAULT_MIGRATIONS_FOLDER, folder, { recursive: true });
    const journalPath = join(folder, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: unknown[] };
    const shipped = journal.entries.length;
    writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, 3) }));
    const path = join(dir, 'old.db');
    const old = openDatabase(path);
    migrateDatabase(old, { migrationsFolder: folder });
    old.close();

    const destination = join(dir, 'new.db');
    await expect(copyStore(at(path), at(destination))).rejects.toMatchObject({
      code: 'INPUT_UNREADABLE',
      message: `source ${path} is not migrated to the latest schema (3 of ${shipped} migrations applied): run "credit-monitor migrate" with CM_DB set to it first`,
    });
    expect(existsSync(destination)).toBe(false);
  });

  it('refuses an empty PostgreSQL database as a source', async () => {
    const source = await postgres.freshLocation();
    const journal = JSON.parse(readFileSync(join(DEFAULT_PG_MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
    await expect(copyStore(at(source), at(await sqlite.freshLocation()))).rejects.toMatchObject({
      code: 'INPUT_UNREADABLE',
      message: expect.stringContaining(`is not migrated to the latest schema (0 of ${journal.entries.length} migrations applied)`),
    });
  });

  it('refuses a SQLite source file that does not exist, without creating it', async () => {
    const missing = join(tmpdir(), `cm-missing-${process.pid}.db`);
    await expect(copyStore(at(missing), at(await sqlite.freshLocation()))).rejects.toMatchObject({ code: 'INPUT_UNREADABLE', message: `source ${missing} does not exist` });
    expect(existsSync(missing)).toBe(false);
  });
});
