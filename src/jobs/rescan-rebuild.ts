import type { Queue } from 'bullmq';
import type { RecordedRescan } from '../app/request-rescan.js';
import { recordedRescanJob } from './rescan-request.js';

export interface RescanRebuildDeps {
  /** Forgets requests whose customers have all been checked since, first, so they are not re-queued. */
  clearDone(): Promise<number>;
  /** Re-scan requests recorded in the store and not done yet. */
  listOpen(): Promise<RecordedRescan[]>;
  scanQueue: Queue;
}

/**
 * Redis lost its data (or this is the first start): puts the `rescan` job of every open request back
 * on the scan queue, with the id the CLI gave it, so a job that survived is not added twice. Its
 * fan-out then enqueues only the customers not checked since the request. Returns how many.
 */
export async function requeueOpenRescans(deps: RescanRebuildDeps): Promise<number> {
  await deps.clearDone();
  const open = await deps.listOpen();
  if (open.length > 0) await deps.scanQueue.addBulk(open.map(recordedRescanJob));
  return open.length;
}
