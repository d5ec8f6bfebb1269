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
 * settled with, in order. With `inOrder`, each racer starts only once the ones before it wait, so
 * they get the lock in that order (PostgreSQL queues row-lock waiters first come, first served).
 */
export async function raceBehindLock<T>(
  pool: pg.Pool,
  statements: ReadonlyArray<[text: string, params?: unknown[]]>,
  racers: ReadonlyArray<() => Promise<T>>,
  options: { ending?: 'commit' | 'rollback'; inOrder?: boolean } = {},
): Promise<Array<PromiseSettledResult<T>>> {
  const held = await holdPgTransaction(pool, statements);
  const running: Array<Promise<T>> = [];
  let waited: Error | undefined;
  try {
    for (const [index, race] of racers.entries()) {
      running.push(race());
      if (options.inOrder === true || index === racers.length - 1) await waitingOnLocks(pool, index + 1);
    }
  } catch (error) {
    waited = error instanceof Error ? error : new Error(String(error));
  }
  await (options.ending === 'rollback' ? held.rollback() : held.commit());
  const settled = await Promise.allSettled(running);
  // Racers that never waited are a failure of their own: no lock held them, so no race was run.
  if (waited !== undefined) throw waited;
  return settled;
}

async function waitingOnLocks(pool: pg.Pool, count: number): Promise<void> {
  await pollUntil(
    async () => {
      const waiting = await pool.query<{ n: number }>(
        "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
      );
      return (waiting.rows[0]?.n ?? 0) >= count;
    },
    { timeoutMs: 10_000, what: `${String(count)} racers waiting on a lock` },
  );
}

/** The values of settled racers; the first rejection is thrown. */
export function fulfilled<T>(results: ReadonlyArray<PromiseSettledResult<T>>): T[] {
  return results.map((result) => {
    if (result.status === 'rejected') throw result.reason as Error;
    return result.value;
  });
}
