/** Writing rows into a PostgreSQL store through its drizzle schema, one transaction per batch. */
import { sql } from 'drizzle-orm';
import type { PgHandle } from '../pg/database.js';
import { pgCall } from '../pg/pg-error.js';
import { statementChunks, type BatchWriter } from './batch-reader.js';

// The wire protocol counts bind parameters in 16 bits.
const MAX_PARAMETERS = 65_000;

export function createPgBatchWriter(handle: PgHandle): BatchWriter {
  return {
    write: (table, rows) =>
      pgCall(`cannot write ${table.name} to ${handle.location}`, async () => {
        await handle.db.transaction(async (tx) => {
          for (const chunk of statementChunks(rows, table.columns.length, MAX_PARAMETERS)) await tx.insert(table.pg).values(chunk);
        });
      }),
    // Rows came with their ids, so the serial never moved: without this the next insert would take id 1.
    continueSerial: (table, atLeast) =>
      pgCall(`cannot set the id sequence of ${table.name} in ${handle.location}`, async () => {
        if (table.serial === undefined) return;
        const id = sql.identifier(table.serial);
        const top = sql`greatest(coalesce(max(${id}), 0), ${atLeast}::bigint)`;
        // setval(seq, n, false) for an empty sequence: the next id is then 1.
        await handle.db.execute(
          sql`SELECT setval(pg_get_serial_sequence(${table.name}, ${table.serial}), greatest(${top}, 1), ${top} > 0) FROM ${sql.identifier(table.name)}`,
        );
      }),
  };
}
