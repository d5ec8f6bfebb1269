/**
 * A PostgreSQL transaction held open on its own connection, as another worker's would be mid-commit:
 * for tests that make the code under test wait on its locks, then decide how it ends.
 */
import type pg from 'pg';
import { pollUntil } from './poll-until.js';

export interface HeldPgTransaction {
  /** Resolves once some other backend waits on a lock this transaction holds. */
  blocking(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/** Begins a transaction on a connection of `pool` and runs `statements` (with `$n` params) in it. */
export async function holdPgTransaction(pool: pg.Pool, statements: ReadonlyArray<[text: string, params?: unknown[]]>): Promise<HeldPgTransaction> {
  const client = await pool.connect();
  const end = async (command: 'commit' | 'rollback'): Promise<void> => {
    try {
      await client.query(command);
    } finally {
      client.release();
    }
  };
  try {
    await client.query('begin');
    for (const [text, params] of statements) await client.query(text, params);
    const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid;
    return {
      blocking: async () => {
        await pollUntil(
          async () => {
            const waiting = await pool.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where $1 = any(pg_blocking_pids(pid))', [pid]);
            return (waiting.rows[0]?.n ?? 0) > 0;
          },
          { what: `a backend waiting on transaction ${String(pid)}` },
        );
      },
      commit: () => end('commit'),
      rollback: () => end('rollback'),
    };
  } catch (error) {
    client.release(error instanceof Error ? error : true);
    throw error;
  }
}
