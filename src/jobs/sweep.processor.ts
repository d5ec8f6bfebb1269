import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import { runSweep, type DueCheck } from '../app/run-sweep.js';
import type { DigestOutcome } from '../app/send-digest.js';
import { shanghaiDay } from '../domain/dates.js';
import type { CallBudget } from './call-budget.js';
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
  /** Each tick resumes a provider stop whose advised wait is over. */
  providerStop?: Pick<ProviderStopControl, 'resumeIfDue'> | undefined;
  /** Sends the digest of a period (YYYY-MM-DD, Asia/Shanghai). */
  digest?: (period: string, signal: AbortSignal) => Promise<DigestOutcome>;
}

/** The `sweep` queue's processor: a tick enqueues every due customer; a digest job sends the digest. */
export function createSweepProcessor(deps: SweepProcessorDeps) {
  const digest = async (job: Job, signal: AbortSignal): Promise<string> => {
    if (!deps.digest) return 'no digest recipients configured';
    // The period is the day the job was scheduled for, even when it runs late (after midnight).
    const period = shanghaiDay(job.timestamp + (job.opts.delay ?? 0));
    const outcome = await deps.digest(period, signal);
    if (outcome.kind === 'failed') {
      const message = `digest ${period} to ${outcome.recipient}: ${outcome.error}`;
      throw outcome.retryable ? new Error(message) : new UnrecoverableError(message);
    }
    if (outcome.kind === 'sent') return `digest ${period}: ${outcome.events} event(s) to ${outcome.recipients} recipient(s)`;
    return outcome.kind === 'in_progress' ? `digest ${period} is being sent by another run` : `digest ${period} already sent`;
  };

  return async (job: Job, _token?: string, signal?: AbortSignal): Promise<string> => {
    if (job.name === JOB.digest) return digest(job, signal ?? new AbortController().signal);
    await deps.providerStop?.resumeIfDue();
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
  };
}
