/** A PostgreSQL store's migrations and whether it holds any row, read before `db copy` touches it. */
import { DEFAULT_PG_MIGRATIONS_FOLDER, type PgHandle } from '../pg/database.js';
import { pgCall } from '../pg/pg-error.js';
import { migrationState, type MigrationState } from './migration-state.js';

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Where the database stands against `migrations/pg/` (no journal table: none applied). */
export function pgMigrationState(handle: PgHandle, migrationsFolder = DEFAULT_PG_MIGRATIONS_FOLDER): Promise<MigrationState> {
  return pgCall(`cannot read the migrations of ${handle.location}`, async () => {
    const journal = await handle.pool.query<{ present: boolean }>("SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS present");
    if (journal.rows[0]?.present !== true) return migrationState({ count: 0, lastCreatedAt: undefined }, migrationsFolder);
    const result = await handle.pool.query<{ n: number; last: unknown }>(
      'SELECT count(*)::int AS n, max(created_at) AS last FROM drizzle.__drizzle_migrations',
    );
    const row = result.rows[0];
    return migrationState({ count: row?.n ?? 0, lastCreatedAt: row?.last == null ? undefined : Number(row.last) }, migrationsFolder);
  });
}

/** Every table on the search path (not only the store's) that holds at least one row. */
export function pgTablesWithRows(handle: PgHandle): Promise<string[]> {
  return pgCall(`cannot read ${handle.location}`, async () => {
    const tables = await handle.pool.query<{ schema: string; name: string }>(
      'SELECT schemaname AS schema, tablename AS name FROM pg_tables WHERE schemaname = ANY (current_schemas(false)) ORDER BY tablename',
    );
    const withRows: string[] = [];
    for (const { schema, name } of tables.rows) {
      const found = await handle.pool.query(`SELECT 1 FROM ${quote(schema)}.${quote(name)} LIMIT 1`);
      if (found.rowCount !== null && found.rowCount > 0) withRows.push(schema === 'public' ? name : `${schema}.${name}`);
    }
    return withRows;
  });
}
