/** A SQLite store's migrations and whether it holds any row, read before `db copy` touches it. */
import { DEFAULT_MIGRATIONS_FOLDER, type DatabaseHandle } from '../database.js';
import { storeCall } from '../store-error.js';
import { migrationState, type MigrationState } from './migration-state.js';

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Where the file stands against `migrations/` (a file with no journal table has none applied). */
export function sqliteMigrationState(handle: DatabaseHandle, migrationsFolder = DEFAULT_MIGRATIONS_FOLDER): Promise<MigrationState> {
  return storeCall(`cannot read the migrations of ${handle.path}`, () => {
    const journal = handle.sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
    if (journal === undefined) return migrationState({ count: 0, lastCreatedAt: undefined }, migrationsFolder);
    const row = handle.sqlite.prepare('SELECT count(*) AS n, max(created_at) AS last FROM __drizzle_migrations').get() as { n: number; last: unknown };
    return migrationState({ count: row.n, lastCreatedAt: row.last === null ? undefined : Number(row.last) }, migrationsFolder);
  });
}

/** Every table of the file (not only the store's) that holds at least one row. */
export function sqliteTablesWithRows(handle: DatabaseHandle): Promise<string[]> {
  return storeCall(`cannot read ${handle.path}`, () => {
    const tables = handle.sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> '__drizzle_migrations' ORDER BY name")
      .pluck()
      .all() as string[];
    return tables.filter((name) => handle.sqlite.prepare(`SELECT 1 FROM ${quote(name)} LIMIT 1`).get() !== undefined);
  });
}
