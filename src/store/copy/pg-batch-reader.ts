/** Reading a PostgreSQL store in keyset batches through its drizzle schema. */
import { asc, count, getTableColumns, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import * as schema from '../schema.pg.js';
import type { PgExecutor, PgHandle } from '../pg/database.js';
import { pgCall } from '../pg/pg-error.js';
import type { BatchReader, CopyRow } from './batch-reader.js';
import { afterCursor, copiedColumns, CURSOR_FIELD, keyColumns, splitCursor } from './keyset.js';

/** Reads through `db` (the pool's, or a snapshot's from `beginPgSnapshot`); `location` is for messages. */
export function createPgBatchReader(db: PgExecutor, location: string): BatchReader {
  return {
    count: (table) =>
      pgCall(`cannot count ${table.name} in ${location}`, async () => {
        const [row] = await db.select({ n: count() }).from(table.pg);
        return row?.n ?? 0;
      }),
    read: (table, cursor, limit) =>
      pgCall(`cannot read ${table.name} from ${location}`, async () => {
        const columns = getTableColumns(table.pg);
        const insertion = table.order.kind === 'insertion' ? columns[table.order.pgColumn] : undefined;
        const keys = keyColumns(columns, table, insertion);
        const fields = copiedColumns(columns, table.columns);
        const selected = (await db
          .select(insertion === undefined ? fields : { ...fields, [CURSOR_FIELD]: insertion })
          .from(table.pg)
          .where(cursor === undefined ? undefined : afterCursor(keys, cursor))
          .orderBy(...keys.map((key) => asc(key)))
          .limit(limit)) as CopyRow[];
        return splitCursor(table, selected);
      }),
    serialHighWater: (table) =>
      pgCall(`cannot read the id sequence of ${table.name} in ${location}`, async () => {
        if (table.serial === undefined) return 0;
        // Null until the sequence first handed out an id.
        const result = await db.execute<{ last: unknown }>(
          sql`SELECT pg_sequence_last_value(pg_get_serial_sequence(${table.name}, ${table.serial}))::bigint AS last`,
        );
        return Number(result.rows[0]?.last ?? 0);
      }),
  };
}

/**
 * A reader on one REPEATABLE READ, READ ONLY transaction held until `end`: the copy and its
 * verification see one moment of the database, so rows a running worker adds meanwhile cannot
 * break foreign keys. The pool's idle-in-transaction limit is lifted for it: the copy is idle
 * while it writes each batch to the destination.
 */
export async function beginPgSnapshot(handle: PgHandle): Promise<{ reader: BatchReader; end(): Promise<void> }> {
  return pgCall(`cannot read ${handle.location}`, async () => {
    const client = await handle.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await client.query('SET LOCAL idle_in_transaction_session_timeout = 0');
    } catch (error) {
      client.release(true);
      throw error;
    }
    let ended = false;
    return {
      reader: createPgBatchReader(drizzle(client, { schema }), handle.location),
      end: async () => {
        if (ended) return;
        ended = true;
        try {
          await client.query('COMMIT');
          client.release();
        } catch {
          client.release(true);
        }
      },
    };
  });
}
