import { Worker, type WorkerOptions as BullWorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { checkCustomer, type CheckDeps } from '../app/check-customer.js';
import type { Config } from '../config/load-config.js';
import type { Metrics } from '../http/metrics.js';
import { createAfterCheck } from '../jobs/after-check.js';
import { enqueueDelivery } from '../jobs/deliver.processor.js';
import { countGradeCheck } from '../jobs/grade-check-counter.js';
import { QUEUE } from '../jobs/queue-names.js';
import type { Queues } from '../jobs/queues.js';
import type { RequestLimiter } from '../jobs/request-limiter.js';
import { createScanProcessor } from '../jobs/scan.processor.js';
import type { Logger } from '../logger.js';
import type { SendableFilter } from '../store/deliveries-repository.js';
import type { ProviderControls } from './open-provider-controls.js';
import type { Store } from './open-store.js';

export interface ScanWorkerParts {
  store: Store;
  queues: Queues;
  checkDeps: CheckDeps;
  gate: RequestLimiter;
  controls: ProviderControls;
  metrics: Metrics;
  /** Where today's checks per grade are counted. */
  redis: Redis;
  clock: () => number;
  /** The deliveries this process can send, enqueued right after the check that wrote them. */
  sendable: SendableFilter;
  logger: Logger;
}

/** The `scan` queue's worker: one customer check per job, paced by the provider's rate. */
export function startScanWorker(config: Config, parts: ScanWorkerParts, options: BullWorkerOptions): Worker {
  const { store, queues, controls, logger } = parts;
  const afterCheck = createAfterCheck({
    metrics: parts.metrics,
    provider: config.provider.kind,
    sections: config.provider.sections,
    sendablePending: (eventIds) => store.repos.deliveries.listPendingForEvents(eventIds, { sendable: parts.sendable }),
    enqueueDelivery: (id, attempts) => enqueueDelivery(queues.deliver, id, attempts),
    countGradeCheck: (grade) => countGradeCheck(parts.redis, config.queuePrefix, grade, parts.clock()),
    logger,
  });
  const processor = createScanProcessor({
    check: (uscc, signal) => checkCustomer(parts.checkDeps, uscc, signal),
    afterCheck,
    iterateUsccs: (filter) => store.repos.customers.iterateUsccs(filter),
    recordedRescan: async (requestId) => {
      const request = await store.repos.rescanRequests.find(requestId);
      return request && { force: request.force, pending: store.repos.rescanRequests.iteratePending(request) };
    },
    scanQueue: queues.scan,
    pausedForMs: () => parts.gate.pause.pausedForMs(),
    providerStop: controls.providerStop,
    budget: controls.budget,
    logger,
  });
  return new Worker(QUEUE.scan, processor, {
    ...options,
    // Jobs per second across every worker; the request limiter holds the exact per-request rate.
    limiter: { max: Math.max(1, Math.floor(config.provider.ratePerSecond)), duration: 1000 },
    maximumRateLimitDelay: 300_000,
  });
}
