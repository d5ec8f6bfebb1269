/** Reading a SQLite store in keyset batches through its drizzle schema. */
import { asc, count, getTableColumns, sql } from 'drizzle-orm';
import type { DatabaseHandle } from '../database.js';
import { storeCall } from '../store-error.js';
import type { BatchReader, CopyRow } from './batch-reader.js';
import { afterCursor, copiedColumns, CURSOR_FIELD, keyColumns, splitCursor } from './keyset.js';

/** Reads through `handle`; inside `beginSqliteSnapshot` every read sees one moment of the file. */
export function createSqliteBatchReader(handle: DatabaseHandle): BatchReader {
  return {
    count: (table) =>
      storeCall(`cannot count ${table.name} in ${handle.path}`, () => handle.db.select({ n: count() }).from(table.sqlite).get()?.n ?? 0),
    read: (table, cursor, limit) =>
      storeCall(`cannot read ${table.name} from ${handle.path}`, () => {
        const columns = getTableColumns(table.sqlite);
        const keys = keyColumns(columns, table, sql`rowid`);
        const fields = copiedColumns(columns, table.columns);
        const selected = handle.db
          .select(table.order.kind === 'insertion' ? { ...fields, [CURSOR_FIELD]: sql<number>`rowid` } : fields)
          .from(table.sqlite)
          .where(cursor === undefined ? undefined : afterCursor(keys, cursor))
          .orderBy(...keys.map((key) => asc(key)))
          .limit(limit)
          .all() as CopyRow[];
        return splitCursor(table, selected);
      }),
    serialHighWater: (table) =>
      storeCall(`cannot read the id sequence of ${table.name} in ${handle.path}`, () => {
        const row = handle.sqlite.prepare('SELECT seq FROM sqlite_sequence WHERE name = ?').get(table.name) as { seq: unknown } | undefined;
        return Number(row?.seq ?? 0);
      }),
  };
}

/**
 * Holds one read transaction open until `end`: the copy and its verification then see the file as
 * it was at the first read, so rows a running worker adds meanwhile cannot break foreign keys.
 */
export function beginSqliteSnapshot(handle: DatabaseHandle): { end(): void } {
  handle.sqlite.exec('BEGIN DEFERRED');
  return {
    end: () => {
      if (handle.sqlite.inTransaction) handle.sqlite.exec('COMMIT');
    },
  };
}
