import type { Queue } from 'bullmq';
import { runSweep, type DueCheck } from '../app/run-sweep.js';
import { JOB, jobId, PRIORITY } from './queue-names.js';

export interface SweepProcessorDeps {
  dueCustomers(now: number, pageSize: number): AsyncIterable<DueCheck[]>;
  recordSweep(at: number): Promise<void>;
  scanQueue: Queue;
  clock: () => number;
}

/** The `sweep` queue's processor: one tick enqueues every due customer. */
export function createSweepProcessor(deps: SweepProcessorDeps) {
  return async (): Promise<string> => {
    const { enqueued } = await runSweep(
      {
        dueCustomers: (now, pageSize) => deps.dueCustomers(now, pageSize),
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
    return `enqueued ${enqueued} due check(s)`;
  };
}
