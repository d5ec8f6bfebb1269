/** Progress of `db copy`, throttled so that a big table does not print a line per batch. */

export interface CopyProgress {
  phase: 'copy' | 'verify';
  table: string;
  /** Rows copied (or hashed) so far, and the table's rows in the source. */
  done: number;
  total: number;
  /** Since this table's phase began, in ms. */
  elapsedMs: number;
}

export type ProgressListener = (progress: CopyProgress) => void;

export interface TableProgress {
  /** Counts `rows` more; reports when the interval has passed since the last report. */
  advance(rows: number): void;
  /** Reports the final figure (always, so each table has at least one line). */
  finish(): void;
}

/** One table's phase; `now` is a monotonic clock in ms. */
export function tableProgress(
  listener: ProgressListener | undefined,
  base: Pick<CopyProgress, 'phase' | 'table' | 'total'>,
  intervalMs: number,
  now: () => number,
): TableProgress {
  const started = now();
  let done = 0;
  let reportedAt = started;
  const report = (at: number): void => {
    reportedAt = at;
    listener?.({ ...base, done, elapsedMs: at - started });
  };
  return {
    advance: (rows) => {
      done += rows;
      const at = now();
      if (at - reportedAt >= intervalMs) report(at);
    },
    finish: () => {
      report(now());
    },
  };
}
