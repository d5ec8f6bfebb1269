/**
 * How every queue processor hands an error to BullMQ: an `AppError` that no retry can fix becomes
 * `UnrecoverableError` (the job fails at once, visible in `status`); everything else is rethrown so
 * BullMQ retries it with the queue's back-off. BullMQ's own control errors pass through untouched.
 */
import { DelayedError, RateLimitError, UnrecoverableError, WaitingChildrenError } from 'bullmq';
import { isAppError } from '../errors.js';

export function toJobError(error: unknown): unknown {
  if (error instanceof DelayedError || error instanceof RateLimitError || error instanceof UnrecoverableError || error instanceof WaitingChildrenError) {
    return error;
  }
  if (isAppError(error) && !error.retryable) return new UnrecoverableError(`${error.code}: ${error.message}`);
  return error;
}

/** Wraps a processor so that whatever it throws goes through `toJobError`. */
export function withJobErrors<A extends unknown[], R>(processor: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await processor(...args);
    } catch (error) {
      throw toJobError(error);
    }
  };
}
