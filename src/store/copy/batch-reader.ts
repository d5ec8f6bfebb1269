/** What `db copy` reads and writes through, whatever the dialect. */
import type { CopyTable } from './copy-tables.js';

/** One row as drizzle decodes it, keyed by the schema's property names (`customerId`, not `customer_id`). */
export type CopyRow = Record<string, unknown>;
/** Where the last batch ended: the order columns' values of its last row. */
export type Cursor = readonly unknown[];

export interface BatchReader {
  count(table: CopyTable): Promise<number>;
  /**
   * Up to `limit` rows after `cursor` (from the first when undefined), in the table's copy order
   * (keyset: each batch is one indexed range scan, however far into the table), and the next cursor.
   */
  read(table: CopyTable, cursor: Cursor | undefined, limit: number): Promise<{ rows: CopyRow[]; cursor: Cursor | undefined }>;
  /** The highest id `table.serial` ever handed out, rows since deleted included; 0 when none. */
  serialHighWater(table: CopyTable): Promise<number>;
}

export interface BatchWriter {
  /** Inserts `rows` (ids included) in one transaction. */
  write(table: CopyTable, rows: readonly CopyRow[]): Promise<void>;
  /** Makes `table.serial` hand out ids above `atLeast` and above every id in the table. */
  continueSerial(table: CopyTable, atLeast: number): Promise<void>;
}

/** Every row of `table`, a batch at a time (memory holds one batch). */
export async function* readBatches(reader: BatchReader, table: CopyTable, batchSize: number): AsyncGenerator<CopyRow[]> {
  let cursor: Cursor | undefined;
  for (;;) {
    const batch = await reader.read(table, cursor, batchSize);
    if (batch.rows.length > 0) yield batch.rows;
    if (batch.rows.length < batchSize || batch.cursor === undefined) return;
    cursor = batch.cursor;
  }
}
