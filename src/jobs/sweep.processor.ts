import type { Job, Queue } from 'bullmq';
import { AppError } from '../errors.js';
import { withJobErrors } from './to-job-error.js';
import { runSweep, type DueCheck } from '../app/run-sweep.js';
import type { DigestOutcome } from '../app/send-digest.js';
import { shanghaiDay } from '../domain/dates.js';
import type { Logger } from '../logger.js';
import type { CallBudget } from './call-budget.js';
import { logDeliveryFailure } from './log-delivery.js';
import type { ProviderStopControl } from './provider-stop-control.js';
import { JOB, jobId, PRIORITY } from './queue-names.js';

export interface SweepProcessorDeps {
  dueCustomers(now: number, pageSize: number, queuedBefore: number): AsyncIterable<DueCheck[]>;
  markQueued(usccs: string[], at: number): Promise<void>;
  recordSweep(at: number): Promise<void>;
  scanQueue: Queue;
  clock: () => number;
  /** Re-notifies unacknowledged events; runs after each tick's sweep. */
  escalate?: () => Promise<unknown>;
  /** The daily call budget: once spent, a tick enqueues nothing until the next day. None: unlimited. */
  budget?: CallBudget | undefined;
  /** Counts customers per grade again for the cadence plan; each tick does it first. */
  refreshCadence?: () => Promise<unknown>;
  /** Each tick resumes a provider stop whose advised wait is over. */
  providerStop?: Pick<ProviderStopControl, 'resumeIfDue'> | undefined;
  /** Sends the digest of a period: `date` YYYY-MM-DD (Asia/Shanghai), `cutoff` when it was due (epoch ms). */
  digest?: (period: { date: string; cutoff: number }, signal: AbortSignal) => Promise<DigestOutcome>;
  /** Where a digest recipient's failure is logged. */
  logger: Logger;
}

/** When BullMQ runs the job again after this failed attempt (epoch ms), or null when none is left. */
function nextJobAttemptAt(job: Job, now: number): number | null {
  const failures = job.attemptsMade + 1;
  if (failures >= (job.opts.attempts ?? 1)) return null;
  const backoff = job.opts.backoff;
  if (backoff === undefined) return now;
  if (typeof backoff === 'number') return now + backoff;
  const delay = backoff.delay ?? 0;
  return now + (backoff.type === 'exponential' ? Math.round(2 ** (failures - 1) * delay) : delay);
}

/** The `sweep` queue's processor: a tick enqueues every due customer; a digest job sends the digest. */
export function createSweepProcessor(deps: SweepProcessorDeps) {
  const digest = async (job: Job, signal: AbortSignal): Promise<string> => {
    if (!deps.digest) return 'no digest recipients configured';
    // The period is the day the job was scheduled for, even when it runs late (after midnight), and
    // it carries the rows recorded before that moment: later ones belong to the next period.
    const cutoff = job.timestamp + (job.opts.delay ?? 0);
    const period = shanghaiDay(cutoff);
    const outcome = await deps.digest({ date: period, cutoff }, signal);
    if (outcome.kind === 'sent' || outcome.kind === 'incomplete') {
      const nextRetryAt = outcome.kind === 'incomplete' ? nextJobAttemptAt(job, deps.clock()) : null;
      for (const r of outcome.recipients) {
        if (r.result === 'sent') continue;
        const failure = {
          channel: 'email_digest', target: r.recipient, attempt: job.attemptsMade + 1, period, error: r.error ?? '', dead: r.result === 'dead',
        };
        if (r.result === 'dead') {
          logDeliveryFailure(deps.logger, { ...failure, nextRetryAt: null }, 'its rows are dead (credit-monitor alerts redrive sends them with the next digest)');
        } else {
          logDeliveryFailure(deps.logger, { ...failure, nextRetryAt }, nextRetryAt === null ? 'its rows stay pending and go with the next digest' : undefined);
        }
      }
    }
    const sentTo = (o: { recipients: Array<{ result: string }> }): string =>
      `${o.recipients.filter((r) => r.result === 'sent').length} recipient(s), ${o.recipients.filter((r) => r.result === 'dead').length} dead`;
    switch (outcome.kind) {
      case 'incomplete': {
        const retry = outcome.recipients.filter((r) => r.result === 'retry');
        // Retryable: BullMQ runs the job again, which sends only the recipients still pending.
        throw new AppError('DELIVERY_INCOMPLETE', `digest ${period}: ${retry.length} recipient(s) to retry (${retry.map((r) => r.error).join('; ')}); sent to ${sentTo(outcome)}`, { retryable: true });
      }
      case 'sent':
        return `digest ${period}: ${outcome.events} event(s) to ${sentTo(outcome)}`;
      case 'in_progress':
        return `digest ${period} is being sent by another run`;
      case 'already_sent':
        return `digest ${period} already sent`;
    }
  };

  return withJobErrors(async (job: Job, _token?: string, signal?: AbortSignal): Promise<string> => {
    if (job.name === JOB.digest) return digest(job, signal ?? new AbortController().signal);
    await deps.providerStop?.resumeIfDue();
    await deps.refreshCadence?.();
    const budget = deps.budget;
    const { enqueued, deferredUntil } = await runSweep(
      {
        ...(budget ? { budgetSpentUntil: () => budget.spentUntil() } : {}),
        dueCustomers: (now, pageSize, queuedBefore) => deps.dueCustomers(now, pageSize, queuedBefore),
        markQueued: (usccs, at) => deps.markQueued(usccs, at),
        recordSweep: (at) => deps.recordSweep(at),
        enqueueChecks: async (checks) => {
          await deps.scanQueue.addBulk(
            checks.map(({ uscc, dueAt }) => ({
              name: JOB.check,
              data: { uscc },
              // One id per due check: two ticks (or two workers) enqueueing it again add nothing.
              opts: { jobId: jobId('check', uscc, dueAt ?? 'new'), priority: PRIORITY.scheduled },
            })),
          );
        },
      },
      deps.clock(),
    );
    await deps.escalate?.();
    if (deferredUntil !== undefined) return `daily call budget spent: due checks deferred to ${new Date(deferredUntil).toISOString()}`;
    return `enqueued ${enqueued} due check(s)`;
  });
}
