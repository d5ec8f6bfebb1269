/** Writing rows into a PostgreSQL store, one transaction per batch, encoded by its drizzle schema. */
import { sql } from 'drizzle-orm';
import type { PgHandle } from '../pg/database.js';
import { pgCall } from '../pg/pg-error.js';
import type { BatchWriter, CopyRow } from './batch-reader.js';
import type { CopyTable } from './copy-tables.js';
import { insertPlan, quoteIdentifier, type InsertPlan } from './insert-plan.js';

/** Writes through `handle`'s pool, a client per batch. */
export function createPgBatchWriter(handle: PgHandle): BatchWriter {
  const plans = new Map<CopyTable, InsertPlan>();
  const planFor = (table: CopyTable): InsertPlan => {
    let plan = plans.get(table);
    if (plan === undefined) plans.set(table, (plan = insertPlan(table.pg, table.columns)));
    return plan;
  };
  return {
    write: (table, rows) =>
      pgCall(`cannot write ${table.name} to ${handle.location}`, async () => {
        const plan = planFor(table);
        const client = await handle.pool.connect();
        try {
          await client.query('BEGIN');
          const { text, values } = unnestInsert(table.name, plan, rows);
          await client.query(text, values);
          await client.query('COMMIT');
          client.release();
        } catch (error) {
          // Destroyed rather than reused: it may still be inside the failed transaction.
          client.release(true);
          throw error;
        }
      }),
    // Rows came with their ids, so the serial never moved: without this the next insert would take id 1.
    continueSerial: (table, atLeast) =>
      pgCall(`cannot set the id sequence of ${table.name} in ${handle.location}`, async () => {
        if (table.serial === undefined) return;
        const id = sql.identifier(table.serial);
        const top = sql`greatest(coalesce(max(${id}), 0), ${atLeast}::bigint)`;
        // setval(seq, 1, false) for an empty sequence: the next id is then 1.
        await handle.db.execute(
          sql`SELECT setval(pg_get_serial_sequence(${table.name}, ${table.serial}), greatest(${top}, 1), ${top} > 0) FROM ${sql.identifier(table.name)}`,
        );
      }),
  };
}

/**
 * `INSERT INTO t (a, b) SELECT … FROM unnest($1::integer[], $2::text[])`: one array parameter per
 * column, so the statement is the same small one for every batch; a thousand-row VALUES list binds
 * thousands of parameters and is parsed and planned afresh each time.
 */
function unnestInsert(name: string, plan: InsertPlan, rows: readonly CopyRow[]): { text: string; values: unknown[][] } {
  const values: unknown[][] = plan.columns.map(() => []);
  const encoded: unknown[] = [];
  for (const row of rows) {
    encoded.length = 0;
    plan.encode(row, encoded);
    encoded.forEach((value, i) => values[i]?.push(value));
  }
  const columns = plan.columns.map(quoteIdentifier).join(', ');
  const arrays = plan.types.map((type, i) => `$${i + 1}::${type}[]`).join(', ');
  // In array order, said rather than assumed: events.seq numbers rows as they are inserted.
  const source = `unnest(${arrays}) WITH ORDINALITY AS copied (${columns}, copy_position)`;
  return { text: `INSERT INTO ${quoteIdentifier(name)} (${columns}) SELECT ${columns} FROM ${source} ORDER BY copy_position`, values };
}
