/** Whether a store has exactly the migrations this build ships: the same migrations, the same tables. */
import { readMigrationFiles } from 'drizzle-orm/migrator';

export type MigrationState =
  | { kind: 'latest' }
  /** Migrations this build ships are not applied yet (`applied` of `shipped`). */
  | { kind: 'behind'; applied: number; shipped: number }
  /** A newer build migrated it: it has tables or columns this one does not know. */
  | { kind: 'ahead'; applied: number; shipped: number };

/** What drizzle's journal table says was applied: how many, and the newest one's folder time. */
export interface AppliedMigrations {
  count: number;
  /** `created_at` of the newest (drizzle writes the migration's journal time there); undefined when none. */
  lastCreatedAt: number | undefined;
}

/** Compared the way drizzle's migrator decides what to run: by the newest applied journal time. */
export function migrationState(applied: AppliedMigrations, migrationsFolder: string): MigrationState {
  const shipped = readMigrationFiles({ migrationsFolder });
  const newest = shipped.at(-1)?.folderMillis ?? 0;
  const last = applied.lastCreatedAt ?? -1;
  if (last === newest) return { kind: 'latest' };
  return { kind: last < newest ? 'behind' : 'ahead', applied: applied.count, shipped: shipped.length };
}
