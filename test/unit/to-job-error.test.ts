import { DelayedError, RateLimitError, UnrecoverableError, type Job } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { toJobError, withJobErrors } from '../../src/jobs/to-job-error.js';

describe('toJobError', () => {
  it('fails a job at once for an error no retry can fix, naming its code', () => {
    const mapped = toJobError(new AppError('CONFIG_INVALID', 'CM_SMTP_URL: bad'));
    expect(mapped).toBeInstanceOf(UnrecoverableError);
    expect((mapped as Error).message).toBe('CONFIG_INVALID: CM_SMTP_URL: bad');
  });

  it.each([
    ['a retryable AppError', new AppError('STORE_CONFLICT', 'busy', { retryable: true })],
    ['a plain error (retried with back-off)', new Error('ECONNRESET')],
    ["BullMQ's DelayedError", new DelayedError()],
    ["BullMQ's RateLimitError", new RateLimitError()],
  ])('passes %s through unchanged', (_name, error) => {
    expect(toJobError(error)).toBe(error);
  });

  it('wraps a processor so that what it throws is mapped', async () => {
    // The processors here never look at the job.
    const job = null as unknown as Job;
    const processor = withJobErrors(() => Promise.reject(new AppError('NOT_FOUND', 'gone')));
    await expect(processor(job)).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(withJobErrors(() => Promise.resolve('done'))(job)).resolves.toBe('done');
  });

  it('keeps the three parameters BullMQ looks for before it hands a processor the cancellation signal', async () => {
    const wrapped = withJobErrors((_job: Job, _token?: string, signal?: AbortSignal) => Promise.resolve(signal?.aborted));
    expect(wrapped.length).toBe(3);
    const abort = new AbortController();
    abort.abort();
    await expect(wrapped(null as unknown as Job, 'token', abort.signal)).resolves.toBe(true);
  });
});
