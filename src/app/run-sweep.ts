/** One sweep: every customer that is due, read from SQLite in pages, enqueued as checks in bulk. */

export interface DueCheck {
  uscc: string;
  /** The `next_check_at` that made it due (epoch ms), or null for a never-checked customer. */
  dueAt: number | null;
}

export interface SweepDeps {
  /** Due customers at `now` (epoch ms), page by page, so that memory stays bounded. */
  dueCustomers(now: number, pageSize: number): AsyncIterable<DueCheck[]>;
  /** Adds check jobs; ids derived from (uscc, dueAt) make a second enqueue of one due check a no-op. */
  enqueueChecks(checks: DueCheck[]): Promise<void>;
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

export async function runSweep(deps: SweepDeps, now: number, pageSize = 1000): Promise<SweepOutcome> {
  const deferredUntil = await deps.budgetSpentUntil?.();
  if (deferredUntil !== undefined) {
    // Nothing is lost by not enqueueing: next_check_at stays in the past, so the first tick of the
    // next day finds the same customers due.
    await deps.recordSweep(now);
    return { enqueued: 0, deferredUntil };
  }
  let enqueued = 0;
  for await (const page of deps.dueCustomers(now, pageSize)) {
    if (page.length === 0) continue;
    await deps.enqueueChecks(page);
    enqueued += page.length;
  }
  await deps.recordSweep(now);
  return { enqueued };
}
