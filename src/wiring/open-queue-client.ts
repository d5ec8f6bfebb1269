/** The queues as a one-shot command (and next `serve`) uses them: add re-scans, read counts, resume. */
import type { RecordedRescan } from '../app/request-rescan.js';
import { AppError } from '../errors.js';
import type { Config } from '../config/load-config.js';
import type { Grade } from '../domain/grades.js';
import { readGradeChecks } from '../jobs/grade-check-counter.js';
import { readProviderCalls, type ProviderCallsToday } from '../jobs/provider-call-counter.js';
import { createQueues } from '../jobs/queues.js';
import { recordedRescanJob } from '../jobs/rescan-request.js';
import { errorMessage } from '../lifecycle/releasers.js';
import type { Logger } from '../logger.js';
import { connectOneshotRedis, oneshotRedisUrl, quitRedis } from './open-redis.js';

export interface QueueClient {
  /** Adds the public `rescan` jobs of re-scan requests recorded in the store; returns their job ids. */
  addRescans(requests: readonly RecordedRescan[]): Promise<string[]>;
  /** BullMQ's counts per queue: waiting, active, delayed, prioritized, failed. */
  counts(): Promise<Record<string, Record<string, number>>>;
  /** Resumes the scan queue (a BullMQ global resume), e.g. after a provider stop. */
  resumeScan(): Promise<void>;
  /** The configured provider's calls today (Asia/Shanghai day), counted across every worker. */
  providerCallsToday(): Promise<ProviderCallsToday>;
  /** Checks recorded today (Asia/Shanghai day) per grade they gave, counted across every worker. */
  gradeChecksToday(): Promise<{ day: string; byGrade: Record<Grade, number> }>;
  close(): Promise<void>;
}

/**
 * A short-lived client of the queues; never starts a Redis of its own.
 * @throws AppError `REDIS_UNAVAILABLE` when Redis does not answer.
 */
export async function openQueueClient(config: Config, logger: Logger, clock: () => number): Promise<QueueClient> {
  const url = await oneshotRedisUrl(config, logger);
  const redis = await connectOneshotRedis(url, logger).catch((error: unknown) => {
    throw new AppError('REDIS_UNAVAILABLE', `Redis is not reachable (${errorMessage(error)}); is the worker running, or is REDIS_URL right?`);
  });
  const queues = createQueues(redis, config.queuePrefix);
  return {
    addRescans: async (requests) => {
      const jobs = await queues.scan.addBulk(requests.map(recordedRescanJob));
      return jobs.map((job) => job.id ?? '?');
    },
    counts: async () => {
      const result: Record<string, Record<string, number>> = {};
      for (const queue of [queues.scan, queues.deliver]) {
        result[queue.name] = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed');
      }
      return result;
    },
    resumeScan: () => queues.scan.resume(),
    providerCallsToday: () => readProviderCalls(redis, config.queuePrefix, config.provider.kind, clock()),
    gradeChecksToday: () => readGradeChecks(redis, config.queuePrefix, clock()),
    close: async () => {
      await queues.close();
      await quitRedis(redis);
    },
  };
}
