import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { DEFAULT_MIGRATIONS_FOLDER, migrateDatabase, openDatabase } from '../../../src/store/database.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'credit-monitor-db-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const tableNames = (sqlite: { prepare(sql: string): { all(): unknown[] } }): string[] =>
  (sqlite.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[]).map(
    (row) => row.name,
  );

describe('openDatabase', () => {
  it('creates the parent directory and sets the durability pragmas', () => {
    const path = join(dir, 'nested', 'deeper', 'cm.db');
    const handle = openDatabase(path);
    try {
      expect(existsSync(path)).toBe(true);
      expect(handle.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(handle.sqlite.pragma('synchronous', { simple: true })).toBe(2); // FULL
      expect(handle.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(handle.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    } finally {
      handle.close();
    }
    handle.close(); // idempotent
  });

  it('creates the file, its -wal and -shm owner-only (0600) and the directories it makes 0700', () => {
    const path = join(dir, 'data', 'cm.db');
    const handle = openDatabase(path);
    try {
      migrateDatabase(handle);
      handle.sqlite.prepare("insert into meta (key, value) values ('k', 'v')").run();
      const mode = (p: string): number => statSync(p).mode & 0o777;
      expect(mode(join(dir, 'data'))).toBe(0o700);
      for (const file of [path, `${path}-wal`, `${path}-shm`]) expect(mode(file), file).toBe(0o600);
    } finally {
      handle.close();
    }
  });

  it('takes group and other access away from a store an older version created open, but leaves an existing directory alone', () => {
    const path = join(dir, 'cm.db');
    const first = openDatabase(path);
    migrateDatabase(first);
    first.close();
    chmodSync(path, 0o644);
    chmodSync(dir, 0o755);
    openDatabase(path).close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o755); // may be shared (/tmp, a home directory): not ours to close
  });

  it('refuses a file that is not a SQLite database with INPUT_UNREADABLE naming the path', () => {
    const path = join(dir, 'not-a-db.db');
    writeFileSync(path, 'uscc,name\n'.repeat(1000));
    const error = captureError(() => openDatabase(path));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'INPUT_UNREADABLE' });
    expect((error as AppError).message).toContain(path);
    expect((error as AppError).message).not.toContain('\n');
  });

  it('refuses a missing file with fileMustExist', () => {
    const path = join(dir, 'missing.db');
    expect(() => openDatabase(path, { fileMustExist: true })).toThrow(expect.objectContaining({ code: 'INPUT_UNREADABLE' }));
    expect(existsSync(path)).toBe(false);
  });
});

describe('migrateDatabase', () => {
  it('finds the committed migrations folder from the source tree', () => {
    expect(existsSync(join(DEFAULT_MIGRATIONS_FOLDER, 'meta', '_journal.json'))).toBe(true);
  });

  it('applies the migrations to an empty file, and again is a no-op', () => {
    const path = join(dir, 'cm.db');
    const first = openDatabase(path);
    migrateDatabase(first);
    expect(tableNames(first.sqlite)).toEqual(
      expect.arrayContaining(['customers', 'snapshots', 'events', 'deliveries', 'audit_log', 'meta', 'digests', 'webhook_targets']),
    );
    first.sqlite.prepare("insert into meta (key, value) values ('k', 'v')").run();
    migrateDatabase(first);
    first.close();

    const second = openDatabase(path);
    migrateDatabase(second);
    const applied = second.sqlite.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number };
    const journal = JSON.parse(readFileSync(join(DEFAULT_MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
    expect(applied.n).toBe(journal.entries.length);
    expect(second.sqlite.prepare("select value from meta where key = 'k'").get()).toEqual({ value: 'v' });
    second.close();
  });

  it('reports a missing migrations folder as STORE_FAILED naming the database', () => {
    const handle = openDatabase(join(dir, 'cm.db'));
    try {
      const error = captureError(() => {
        migrateDatabase(handle, { migrationsFolder: join(dir, 'nowhere') });
      });
      expect(error).toMatchObject({ code: 'STORE_FAILED' });
      expect((error as Error).message).toContain(join(dir, 'cm.db'));
    } finally {
      handle.close();
    }
  });
});

function captureError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
