import { DelayedError, RateLimitError, UnrecoverableError, type Job, type Queue } from 'bullmq';
import { withJobErrors } from './to-job-error.js';
import type { CheckOutcome } from '../app/check-customer.js';
import type { Logger } from '../logger.js';
import type { CallBudget } from './call-budget.js';
import type { ProviderStopControl } from './provider-stop-control.js';
import { JOB, jobId, PRIORITY } from './queue-names.js';
import { parseRescanRequest } from './rescan-request.js';

export interface ScanProcessorDeps {
  check(uscc: string, signal: AbortSignal): Promise<CheckOutcome>;
  /** Called once a check is committed: metrics, and enqueueing its deliveries at once. */
  afterCheck(outcome: CheckOutcome, seconds: number): Promise<void>;
  /** Monitored customers' codes (all, or with a tag), page by page. */
  iterateUsccs(filter: { tag?: string }): AsyncIterable<string>;
  /**
   * A re-scan request recorded in the store (a `rescan` job's `requestId`): whether `--force` lets its
   * checks go over the daily budget, and the customers it has not seen checked yet; undefined once it
   * is done. None: every `requestId` is ignored.
   */
  recordedRescan?(requestId: number): Promise<{ force: boolean; pending: AsyncIterable<string> } | undefined>;
  scanQueue: Queue;
  /**
   * How long provider requests stay paused after a rate-limit answer, in ms (0: not paused). The
   * request gate records the pause when the answer arrives, once per burst for the whole fleet.
   */
  pausedForMs(): Promise<number>;
  /** Stops the scan queue (one operational alert) when the provider refuses our credentials or quota. */
  providerStop: Pick<ProviderStopControl, 'stop'>;
  /** The daily call budget: once spent, every check job but a forced fan-out's waits for the next day. None: unlimited. */
  budget?: CallBudget | undefined;
  logger: Logger;
  /** Checks added per addBulk call when fanning out. Default 1000. */
  fanOutBatch?: number;
}

/** The `scan` queue's processor: parses job data and calls the core check; nothing else. */
export function createScanProcessor(deps: ScanProcessorDeps) {
  const check = async (job: Job, uscc: string, signal: AbortSignal): Promise<string> => {
    const started = performance.now();
    const outcome: CheckOutcome = await deps.check(uscc, signal);
    await deps.afterCheck(outcome, (performance.now() - started) / 1000);
    if (outcome.kind === 'provider_stopped') {
      await deps.providerStop.stop(outcome.error);
      // Back to the (now paused) queue without using up an attempt: the customer is not at fault.
      throw new RateLimitError();
    }
    if (outcome.kind === 'rate_limited') {
      // Pacing, not a fault of the customer: the queue waits out the same pause as the requests, so
      // every refused check of one burst sets the same end; none doubles it.
      const pauseMs = await deps.pausedForMs();
      deps.logger.debug({ uscc, jobId: job.id, pauseMs }, 'rate-limited check put back');
      if (pauseMs > 0) await deps.scanQueue.rateLimit(Math.ceil(pauseMs));
      // Puts the job back without using up an attempt.
      throw new RateLimitError();
    }
    if (outcome.kind === 'unknown_customer') return 'unknown customer (removed?)';
    return `${outcome.events.length} event(s), ${outcome.failedSections.length} failed section(s)`;
  };

  const fanOut = async (job: Job, usccs: AsyncIterable<string>, force: boolean): Promise<string> => {
    const batchSize = deps.fanOutBatch ?? 1000;
    let batch: string[] = [];
    let total = 0;
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      await deps.scanQueue.addBulk(
        batch.map((uscc) => ({
          name: JOB.check,
          data: { uscc, manual: true, ...(force ? { force: true } : {}) },
          // Derived from the request's id: a fan-out retried after a crash adds nothing twice.
          opts: { jobId: jobId('rescan', job.id ?? 'none', uscc), priority: PRIORITY.rescanFanOut },
        })),
      );
      total += batch.length;
      batch = [];
    };
    for await (const uscc of usccs) {
      batch.push(uscc);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    return `fanned out ${total} check(s)`;
  };

  return withJobErrors(async (job: Job, token?: string, signal?: AbortSignal): Promise<string> => {
    const abortSignal = signal ?? new AbortController().signal;
    switch (job.name) {
      case JOB.check: {
        const data = job.data as { uscc?: unknown; force?: unknown };
        if (typeof data.uscc !== 'string') throw new UnrecoverableError('check job without a "uscc" string');
        // Scheduled checks and a fan-out's checks wait for the budget, unless the fan-out was forced.
        // (A single-customer re-scan checks in its own `rescan` job: someone is asking about it now.)
        const until = data.force === true ? undefined : await deps.budget?.spentUntil();
        if (until !== undefined) {
          // Same job, same id: the sweep's next ticks add nothing, and no attempt is used.
          await job.moveToDelayed(until, token);
          throw new DelayedError();
        }
        return check(job, data.uscc, abortSignal);
      }
      case JOB.rescan: {
        const parsed = parseRescanRequest(job.data);
        if (!parsed.ok) throw new UnrecoverableError(parsed.reason);
        const request = parsed.request;
        if (request.kind === 'uscc') return check(job, request.uscc, abortSignal);
        if (parsed.requestId !== undefined && deps.recordedRescan) {
          // Recorded by the CLI: only the customers not checked since the request (after a Redis loss
          // the rebuilt job must not check the finished ones again), forced or not as asked.
          const recorded = await deps.recordedRescan(parsed.requestId);
          if (recorded === undefined) return `re-scan request ${parsed.requestId} is already done`;
          return fanOut(job, recorded.pending, recorded.force);
        }
        return fanOut(job, deps.iterateUsccs(request.kind === 'tag' ? { tag: request.tag } : {}), false);
      }
      default:
        throw new UnrecoverableError(`unknown job name "${job.name}" on the scan queue`);
    }
  });
}
