import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import { withJobErrors } from './to-job-error.js';
import type { DeliverOutcome } from '../app/deliver.js';
import type { Logger } from '../logger.js';
import { logDeliveryFailure } from './log-delivery.js';
import { JOB, jobId } from './queue-names.js';

export interface DeliverProcessorDeps {
  deliver(deliveryId: string, signal: AbortSignal): Promise<DeliverOutcome>;
  afterDelivery(outcome: DeliverOutcome): void;
  deliverQueue: Queue;
  clock: () => number;
  /** Each failed attempt is logged at warn, a delivery that went dead at error. */
  logger: Logger;
}

/** Adds the job that sends a delivery's next attempt; the id makes a relay of the same attempt a no-op. */
export async function enqueueDelivery(queue: Queue, deliveryId: string, attempts: number, delayMs = 0): Promise<void> {
  await queue.add(JOB.deliver, { deliveryId }, { jobId: jobId('delivery', deliveryId, attempts), delay: Math.max(0, delayMs) });
}

/**
 * The outbox relay's enqueue: like `enqueueDelivery`, but a job of this attempt that already finished
 * as "skipped" (its webhook target was disabled at the time, or this process lacked the channel) is
 * removed first. The row is still pending, so it must run again now; otherwise the kept completed
 * job would swallow the add until BullMQ trims it (up to an hour later).
 */
export async function relayDelivery(queue: Queue, deliveryId: string, attempts: number): Promise<void> {
  const existing = await queue.getJob(jobId('delivery', deliveryId, attempts));
  // The row is still pending, so a finished job of this attempt did not deliver it: it was skipped
  // (a disabled target) or failed (e.g. stalled by a killed worker too often). Its id must not block
  // the attempt.
  const skipped = typeof existing?.returnvalue === 'string' && existing.returnvalue.startsWith('skipped');
  if (existing?.finishedOn !== undefined && (skipped || (await existing.isFailed()))) {
    // Another relay may have replaced it meanwhile: then its add below is the no-op.
    await existing.remove().catch(() => undefined);
  }
  await enqueueDelivery(queue, deliveryId, attempts);
}

/** The `deliver` queue's processor: one outbox row per job. */
export function createDeliverProcessor(deps: DeliverProcessorDeps) {
  return withJobErrors(async (job: Job, _token?: string, signal?: AbortSignal): Promise<string> => {
    const data = job.data as { deliveryId?: unknown };
    if (typeof data.deliveryId !== 'string') throw new UnrecoverableError('deliver job without a "deliveryId" string');
    const outcome = await deps.deliver(data.deliveryId, signal ?? new AbortController().signal);
    deps.afterDelivery(outcome);
    if (outcome.kind === 'retry' || outcome.kind === 'dead') {
      logDeliveryFailure(deps.logger, {
        channel: outcome.channel,
        // An escalation round ("#2") is part of the row's target, not of the recipient's address.
        target: outcome.channel === 'escalation' ? outcome.target.replace(/#\d+$/, '') : outcome.target,
        attempt: outcome.attempts,
        nextRetryAt: outcome.kind === 'retry' ? outcome.atMs : null,
        error: outcome.error,
        dead: outcome.kind === 'dead',
        deliveryId: data.deliveryId,
      });
    }
    if (outcome.kind === 'retry') {
      await enqueueDelivery(deps.deliverQueue, data.deliveryId, outcome.attempts, outcome.atMs - deps.clock());
    }
    return outcome.kind === 'skipped' ? `skipped: ${outcome.reason}` : outcome.kind;
  });
}
