/**
 * How every queue processor hands an error to BullMQ: an `AppError` that no retry can fix becomes
 * `UnrecoverableError` (the job fails at once, visible in `status`); everything else is rethrown so
 * BullMQ retries it with the queue's back-off. BullMQ's own control errors pass through untouched.
 */
import { DelayedError, RateLimitError, UnrecoverableError, WaitingChildrenError, type Job } from 'bullmq';
import { isAppError } from '../errors.js';

export function toJobError(error: unknown): unknown {
  if (error instanceof DelayedError || error instanceof RateLimitError || error instanceof UnrecoverableError || error instanceof WaitingChildrenError) {
    return error;
  }
  if (isAppError(error) && !error.retryable) return new UnrecoverableError(`${error.code}: ${error.message}`);
  return error;
}

/**
 * Wraps a processor so that whatever it throws goes through `toJobError`. The wrapper declares all
 * three parameters on purpose: BullMQ passes the cancellation signal only to a processor whose
 * `length` is at least 3, and without it a forced shutdown cannot abort a running job.
 */
export function withJobErrors<R>(
  processor: (job: Job, token?: string, signal?: AbortSignal) => Promise<R>,
): (job: Job, token?: string, signal?: AbortSignal) => Promise<R> {
  return async (job, token, signal) => {
    try {
      return await processor(job, token, signal);
    } catch (error) {
      throw toJobError(error);
    }
  };
}
