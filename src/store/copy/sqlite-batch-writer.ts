/** Writing rows into a SQLite store, one transaction per batch, encoded by its drizzle schema. */
import type { Statement } from 'better-sqlite3';
import { inWriteTransaction, type DatabaseHandle } from '../database.js';
import { storeCall } from '../store-error.js';
import type { BatchWriter } from './batch-reader.js';
import type { CopyTable } from './copy-tables.js';
import { insertPlan, quoteIdentifier, type InsertPlan } from './insert-plan.js';

/** Writes through `handle`'s connection; each table's INSERT is prepared once. */
export function createSqliteBatchWriter(handle: DatabaseHandle): BatchWriter {
  const prepared = new Map<CopyTable, { plan: InsertPlan; statement: Statement }>();
  const insertFor = (table: CopyTable) => {
    let insert = prepared.get(table);
    if (insert === undefined) {
      const plan = insertPlan(table.sqlite, table.columns);
      const sql = `INSERT INTO ${quoteIdentifier(table.name)} (${plan.columns.map(quoteIdentifier).join(', ')}) VALUES (${plan.columns.map(() => '?').join(', ')})`;
      insert = { plan, statement: handle.sqlite.prepare(sql) };
      prepared.set(table, insert);
    }
    return insert;
  };
  return {
    // One prepared statement run per row: in SQLite that is as fast as a multi-row VALUES.
    write: (table, rows) =>
      storeCall(`cannot write ${table.name} to ${handle.path}`, () => {
        const { plan, statement } = insertFor(table);
        inWriteTransaction(handle, () => {
          for (const row of rows) {
            const values: unknown[] = [];
            plan.encode(row, values);
            statement.run(values);
          }
        });
      }),
    // AUTOINCREMENT keeps its high-water mark in sqlite_sequence; inserting ids has already raised it
    // to max(id), and a source's mark can be higher still (rows deleted since, as re-scan requests are).
    continueSerial: (table, atLeast) =>
      storeCall(`cannot set the id sequence of ${table.name} in ${handle.path}`, () => {
        inWriteTransaction(handle, () => {
          const updated = handle.sqlite.prepare('UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?').run(atLeast, table.name);
          if (updated.changes === 0 && atLeast > 0) {
            handle.sqlite.prepare('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)').run(table.name, atLeast);
          }
        });
      }),
  };
}
