import { Queue, type ConnectionOptions, type DefaultJobOptions } from 'bullmq';
import { QUEUE } from './queue-names.js';

/** Completed jobs are trimmed so that Redis memory stays bounded. */
const KEEP_COMPLETED = { age: 3600, count: 1000 };
const KEEP_FAILED = { age: 7 * 86_400, count: 5000 };

export const SCAN_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: KEEP_COMPLETED,
  // A failed check must not block the next sweep from enqueueing the same due check again.
  removeOnFail: true,
};

export const DELIVER_JOB_OPTIONS: DefaultJobOptions = {
  // Retries are driven by the outbox row's next_attempt_at, not by BullMQ attempts.
  attempts: 1,
  removeOnComplete: KEEP_COMPLETED,
  removeOnFail: KEEP_FAILED,
};

export interface Queues {
  sweep: Queue;
  scan: Queue;
  deliver: Queue;
  close(): Promise<void>;
}

export function createQueues(connection: ConnectionOptions, prefix: string): Queues {
  const sweep = new Queue(QUEUE.sweep, {
    connection,
    prefix,
    defaultJobOptions: { removeOnComplete: KEEP_COMPLETED, removeOnFail: KEEP_FAILED },
  });
  const scan = new Queue(QUEUE.scan, { connection, prefix, defaultJobOptions: SCAN_JOB_OPTIONS });
  const deliver = new Queue(QUEUE.deliver, { connection, prefix, defaultJobOptions: DELIVER_JOB_OPTIONS });
  return {
    sweep,
    scan,
    deliver,
    close: async () => {
      await Promise.allSettled([sweep.close(), scan.close(), deliver.close()]);
    },
  };
}
