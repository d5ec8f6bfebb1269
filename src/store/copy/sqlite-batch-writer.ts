/** Writing rows into a SQLite store through its drizzle schema, one transaction per batch. */
import { inWriteTransaction, type DatabaseHandle } from '../database.js';
import { storeCall } from '../store-error.js';
import { statementChunks, type BatchWriter } from './batch-reader.js';

// SQLite binds at most 32766 values per statement (SQLITE_MAX_VARIABLE_NUMBER since 3.32).
const MAX_PARAMETERS = 32_000;

export function createSqliteBatchWriter(handle: DatabaseHandle): BatchWriter {
  return {
    write: (table, rows) =>
      storeCall(`cannot write ${table.name} to ${handle.path}`, () => {
        inWriteTransaction(handle, () => {
          for (const chunk of statementChunks(rows, table.columns.length, MAX_PARAMETERS)) {
            handle.db.insert(table.sqlite).values(chunk).run();
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
