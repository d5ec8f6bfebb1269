/** Copying one table in batches, and hashing a table the same way on either side. */
import { readBatches, type BatchReader, type BatchWriter, type CopyRow } from './batch-reader.js';
import type { TableProgress } from './copy-progress.js';
import type { CopyTable } from './copy-tables.js';
import { createTableHash, type TableHash } from './row-hash.js';

export interface TableDigest {
  rows: number;
  /** See createTableHash. */
  hash: string;
}

/**
 * Copies every row of `table` from `reader` to `writer`, a batch per transaction, and returns the
 * hash of the rows as read: the source's side of the verification, from exactly the rows copied.
 * The next batch is read while the last one is written (the two are different databases).
 */
export async function copyTable(reader: BatchReader, writer: BatchWriter, table: CopyTable, batchSize: number, progress: TableProgress): Promise<TableDigest> {
  const digest = tableDigest(table);
  let writing: Promise<void> = Promise.resolve();
  try {
    for await (const batch of readBatches(reader, table, batchSize)) {
      digest.add(batch);
      await writing;
      writing = writer.write(table, batch).then(() => { progress.advance(batch.length); });
      // Handled here so that a failure during the next read is not an unhandled rejection; the
      // await above (or below) still throws it.
      void writing.catch(() => undefined);
    }
  } finally {
    await writing;
  }
  progress.finish();
  return digest.result();
}

/** Reads every row of `table` and hashes it as `copyTable` does. */
export async function hashTable(reader: BatchReader, table: CopyTable, batchSize: number, progress: TableProgress): Promise<TableDigest> {
  const digest = tableDigest(table);
  for await (const batch of readBatches(reader, table, batchSize)) {
    digest.add(batch);
    progress.advance(batch.length);
  }
  progress.finish();
  return digest.result();
}

/** Where row order is data (events), each row is hashed with its position. */
function tableDigest(table: CopyTable): { add(batch: readonly CopyRow[]): void; result(): TableDigest } {
  const hash: TableHash = createTableHash();
  const ordered = table.order.kind === 'insertion';
  let rows = 0;
  return {
    add: (batch) => {
      for (const row of batch) {
        hash.add(row, ordered ? rows : undefined);
        rows++;
      }
    },
    result: () => ({ rows, hash: hash.digest() }),
  };
}
