/** One sweep: every customer that is due, read from SQLite in pages, enqueued as checks in bulk. */

export interface DueCheck {
  uscc: string;
  /** The `next_check_at` that made it due (epoch ms), or null for a never-checked customer. */
  dueAt: number | null;
}

export interface SweepDeps {
  /**
   * Due customers at `now` (epoch ms), page by page, so that memory stays bounded; leaving out those
   * already enqueued at or after `queuedBefore` (epoch ms).
   */
  dueCustomers(now: number, pageSize: number, queuedBefore: number): AsyncIterable<DueCheck[]>;
  /** Adds check jobs; ids derived from (uscc, dueAt) make a second enqueue of one due check a no-op. */
  enqueueChecks(checks: DueCheck[]): Promise<void>;
  /** Notes the customers just enqueued, so the next ticks skip them while their jobs wait. */
  markQueued(usccs: string[], at: number): Promise<void>;
  /** Records when the last sweep ran (shown by `status`). */
  recordSweep(at: number): Promise<void>;
  /**
   * When the daily call budget is spent, the epoch ms at which scheduled checks may run again;
   * undefined (or absent) while there is budget left.
   */
  budgetSpentUntil?: () => Promise<number | undefined>;
}

export interface SweepOutcome {
  enqueued: number;
  /** Set when the budget was spent: due customers stay due and are enqueued by a tick after this (epoch ms). */
  deferredUntil?: number;
}

/**
 * A customer enqueued this long ago and still due is enqueued again (its job id makes that a no-op
 * while the job still exists): the safety net for a job that failed or vanished. A Redis that lost
 * everything is handled at once instead (the maintenance loop clears the marks).
 */
export const REQUEUE_AFTER_MS = 10 * 60_000;

export async function runSweep(deps: SweepDeps, now: number, pageSize = 1000): Promise<SweepOutcome> {
  const deferredUntil = await deps.budgetSpentUntil?.();
  if (deferredUntil !== undefined) {
    // Nothing is lost by not enqueueing: next_check_at stays in the past, so the first tick of the
    // next day finds the same customers due.
    await deps.recordSweep(now);
    return { enqueued: 0, deferredUntil };
  }
  let enqueued = 0;
  for await (const page of deps.dueCustomers(now, pageSize, now - REQUEUE_AFTER_MS)) {
    if (page.length === 0) continue;
    await deps.enqueueChecks(page);
    await deps.markQueued(page.map((check) => check.uscc), now);
    enqueued += page.length;
  }
  await deps.recordSweep(now);
  return { enqueued };
}
