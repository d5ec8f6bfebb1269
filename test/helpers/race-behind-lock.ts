/**
 * Races that can be lost: the racers are held behind a lock another transaction holds, and let go
 * together only once every one of them waits on a lock, so they really run at the same time rather
 * than one after the other by luck of scheduling. PostgreSQL only (SQLite has one writer at a time).
 */
import type pg from 'pg';
import { parseStoreLocation } from '../../src/store/store-location.js';
import { openStore, type Store } from '../../src/wiring/open-store.js';
import { holdPgTransaction } from './held-pg-transaction.js';
import { pollUntil } from './poll-until.js';

/** Another worker's store on the same database: its own pool and repositories. The caller closes it. */
export function openPeerStore(cmDb: string, options: { clock?: () => number } = {}): Promise<Store> {
  return openStore({ store: parseStoreLocation(cmDb, process.cwd()) }, options);
}

/**
 * Runs `statements` in a transaction on `pool`, starts `racers`, waits until that many backends of
 * the database wait on a lock, then ends the transaction (`ending`) and returns what each racer
 * settled with, in order.
 */
export async function raceBehindLock<T>(
  pool: pg.Pool,
  statements: ReadonlyArray<[text: string, params?: unknown[]]>,
  racers: ReadonlyArray<() => Promise<T>>,
  ending: 'commit' | 'rollback' = 'commit',
): Promise<Array<PromiseSettledResult<T>>> {
  const held = await holdPgTransaction(pool, statements);
  const settled = Promise.allSettled(racers.map((race) => race()));
  try {
    await pollUntil(
      async () => {
        const waiting = await pool.query<{ n: number }>(
          "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
        );
        return (waiting.rows[0]?.n ?? 0) >= racers.length;
      },
      { timeoutMs: 10_000, what: `${String(racers.length)} racers waiting on a lock` },
    );
  } finally {
    await (ending === 'commit' ? held.commit() : held.rollback());
  }
  return settled;
}

/** The values of settled racers; the first rejection is thrown. */
export function fulfilled<T>(results: ReadonlyArray<PromiseSettledResult<T>>): T[] {
  return results.map((result) => {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  });
}
