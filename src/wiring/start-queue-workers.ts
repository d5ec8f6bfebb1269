import type { Worker, WorkerOptions as BullWorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config/load-config.js';
import type { Releasers } from '../lifecycle/releasers.js';
import { startDeliverWorker, type DeliverWorkerParts } from './start-deliver-worker.js';
import { startScanWorker, type ScanWorkerParts } from './start-scan-worker.js';
import { startSweepWorker, type SweepWorkerParts } from './start-sweep-worker.js';
import type { WorkerOptions } from './worker-options.js';

export type QueueWorkersParts = ScanWorkerParts & SweepWorkerParts & Omit<DeliverWorkerParts, 'retryBaseMs'> & { redis: Redis };

/** The daemon's three queue workers, as the shutdown and readiness see them. */
export interface QueueWorkers {
  /** Names of the workers that are not running. */
  stopped(): string[];
  /** Closes every worker without force: running jobs finish, no new one starts. */
  drain(): Promise<void>;
  /** Aborts in-flight jobs; stalled jobs are picked up again after a restart. */
  abandon(): void;
}

export function startQueueWorkers(config: Config, parts: QueueWorkersParts, options: WorkerOptions, releasers: Releasers): QueueWorkers {
  const common: BullWorkerOptions = {
    connection: parts.redis,
    prefix: config.queuePrefix,
    // Every job here is idempotent (deterministic job, event and delivery ids), so a job whose worker
    // died mid-run is always safe to run again; BullMQ's default fails it after one such stall.
    maxStalledCount: 10,
    ...(options.stalledCheckMs === undefined ? {} : { lockDuration: options.stalledCheckMs, stalledInterval: options.stalledCheckMs }),
  };
  const workers: Worker[] = [
    startScanWorker(config, parts, { ...common, concurrency: options.concurrency ?? config.scanConcurrency }),
    startSweepWorker(config, parts, common),
    startDeliverWorker({ ...parts, retryBaseMs: options.deliveryRetryBaseMs }, common),
  ];
  for (const worker of workers) {
    worker.on('error', (error) => { parts.logger.warn({ err: error.message, queue: worker.name }, 'worker error'); });
    worker.on('failed', (job, error) => {
      parts.logger.warn({ queue: worker.name, jobId: job?.id, err: error.message }, 'job failed');
    });
  }
  // One release for all three, in parallel: each waits on Redis, and shutdown must stay bounded.
  releasers.push('workers', async () => { await Promise.allSettled(workers.map((w) => w.close(true))); });
  return {
    stopped: () => workers.filter((w) => !w.isRunning()).map((w) => w.name),
    drain: async () => { await Promise.allSettled(workers.map((w) => w.close())); },
    abandon: () => { for (const worker of workers) worker.cancelAllJobs('shutdown'); },
  };
}
