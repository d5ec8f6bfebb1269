import type { Logger } from '../logger.js';
import { requeueOpenRescans, type RescanRebuildDeps } from './rescan-rebuild.js';

export interface LostQueuesDeps {
  /** Clears every customer's "queued" mark; returns how many had one. */
  clearQueued(): Promise<number>;
  rescans: RescanRebuildDeps;
  logger: Logger;
}

/**
 * The sweep scheduler was gone: Redis lost its data (or this is its first start), and with it any
 * queued checks. Every due customer is then enqueued again by the next tick, and the manual re-scans
 * asked through the CLI (they are in the store too) go back on the queue, ahead of the rest.
 */
export async function recoverLostQueues(deps: LostQueuesDeps): Promise<void> {
  const cleared = await deps.clearQueued();
  if (cleared > 0) deps.logger.warn({ customers: cleared }, 'Redis lost its queues: re-enqueueing every due customer');
  const requeued = await requeueOpenRescans(deps.rescans);
  if (requeued > 0) deps.logger.warn({ requests: requeued }, 'Redis lost its queues: re-queueing the manual re-scans still in progress');
}
