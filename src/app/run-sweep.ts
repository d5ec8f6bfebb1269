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
}

export async function runSweep(deps: SweepDeps, now: number, pageSize = 1000): Promise<{ enqueued: number }> {
  let enqueued = 0;
  for await (const page of deps.dueCustomers(now, pageSize)) {
    if (page.length === 0) continue;
    await deps.enqueueChecks(page);
    enqueued += page.length;
  }
  await deps.recordSweep(now);
  return { enqueued };
}
