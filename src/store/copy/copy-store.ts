/**
 * `db copy`: a whole store into an empty one, table by table in foreign-key order, in batches,
 * then verified per table by row count and content hash. Either direction, any pair of dialects.
 */
import { performance } from 'node:perf_hooks';
import { AppError } from '../../errors.js';
import type { StoreLocation } from '../store-location.js';
import type { BatchReader } from './batch-reader.js';
import { openCopyEnd, type CopyEnd } from './copy-end.js';
import { tableProgress, type ProgressListener } from './copy-progress.js';
import { copyTable, hashTable, type TableDigest } from './copy-table.js';
import { COPY_TABLES, type CopyTable } from './copy-tables.js';
import { refuseDestination, refuseSource } from './refusals.js';

export interface CopyStoreOptions {
  /** Rows per read and per destination transaction. Default 1000. */
  batchSize?: number;
  onProgress?: ProgressListener;
  /** Least time between two progress reports of one table, in ms. Default 1000. */
  progressIntervalMs?: number;
  /** Runs between the copy and the verification (tests tamper with the destination here). */
  beforeVerify?: (destination: CopyEnd) => Promise<void>;
}

export interface TableVerification {
  table: string;
  source: TableDigest;
  destination: TableDigest;
  ok: boolean;
}

export interface CopyReport {
  /** Both locations without passwords. */
  from: string;
  to: string;
  tables: TableVerification[];
  /** Rows copied, all tables. */
  rows: number;
  elapsedMs: number;
}

/**
 * Copies the store at `from` into the empty store at `to` (created and migrated when needed).
 * A mismatch is in the report (`ok: false`), not thrown: the caller prints every table first.
 * @throws AppError `USAGE` for a non-empty destination, `INPUT_UNREADABLE` for a source not on this
 *   build's latest migration or a destination ahead of it, `STORE_FAILED` when a database fails.
 */
export async function copyStore(from: StoreLocation, to: StoreLocation, options: CopyStoreOptions = {}): Promise<CopyReport> {
  const started = performance.now();
  const source = openCopyEnd(from, 'source');
  try {
    // Before the destination is opened: that creates a SQLite file, which a refusal must not leave.
    await refuseSource(source);
    const destination = openCopyEnd(to, 'destination');
    try {
      await refuseDestination(destination);
      await destination.migrate();
      const snapshot = await source.snapshot();
      try {
        const tables = await copyAndVerify(snapshot.reader, destination, options);
        const rows = tables.reduce((sum, t) => sum + t.source.rows, 0);
        return { from: source.location, to: destination.location, tables, rows, elapsedMs: performance.now() - started };
      } finally {
        await snapshot.end();
      }
    } finally {
      await destination.close();
    }
  } finally {
    await source.close();
  }
}

async function copyAndVerify(reader: BatchReader, destination: CopyEnd, options: CopyStoreOptions): Promise<TableVerification[]> {
  const batchSize = options.batchSize ?? 1000;
  const progress = (phase: 'copy' | 'verify', table: CopyTable, total: number) =>
    tableProgress(options.onProgress, { phase, table: table.name, total }, options.progressIntervalMs ?? 1000, () => performance.now());
  const copied = new Map<CopyTable, TableDigest>();
  try {
    for (const table of COPY_TABLES) {
      const total = await reader.count(table);
      const digest = await copyTable(reader, destination.writer, table, batchSize, progress('copy', table, total));
      if (digest.rows !== total) throw new AppError('STORE_FAILED', `read ${digest.rows} rows of ${table.name} where the source counts ${total}`);
      copied.set(table, digest);
      if (table.serial !== undefined) await destination.writer.continueSerial(table, await reader.serialHighWater(table));
    }
  } catch (error) {
    throw partialCopy(destination, error);
  }
  await options.beforeVerify?.(destination);
  const verified: TableVerification[] = [];
  for (const [table, source] of copied) {
    const target = await hashTable(destination.reader, table, batchSize, progress('verify', table, source.rows));
    const counted = await destination.reader.count(table);
    const ok = counted === source.rows && target.rows === source.rows && target.hash === source.hash;
    verified.push({ table: table.name, source, destination: { rows: counted, hash: target.hash }, ok });
  }
  return verified;
}

/** Once a row is written the destination is no longer empty: say how to try again. */
function partialCopy(destination: CopyEnd, error: unknown): unknown {
  if (!(error instanceof AppError)) return error;
  const undo = destination.dialect === 'sqlite' ? 'delete the file' : 'drop its tables or recreate the database';
  return new AppError(error.code, `${error.message}; ${destination.location} holds a partial copy now: ${undo} before running db copy again`, {
    retryable: false,
    cause: error,
  });
}
