import { Worker, type WorkerOptions as BullWorkerOptions } from 'bullmq';
import { deliverOne, type DeliverOutcome, type DeliveryStore } from '../app/deliver.js';
import type { Metrics } from '../http/metrics.js';
import { createDeliverProcessor } from '../jobs/deliver.processor.js';
import { countDelivery } from '../jobs/delivery-metrics.js';
import { QUEUE } from '../jobs/queue-names.js';
import type { Queues } from '../jobs/queues.js';
import type { Logger } from '../logger.js';
import type { Channels } from './open-channels.js';
import type { Store } from './open-store.js';

export interface DeliverWorkerParts {
  store: Store;
  queues: Queues;
  channels: Channels;
  metrics: Metrics;
  clock: () => number;
  /** Jitter source in [0, 1) for the retry back-off. */
  random: () => number;
  /** Base of the retry back-off in ms. Default deliverOne's. */
  retryBaseMs: number | undefined;
  logger: Logger;
}

/** The `deliver` queue's worker: one outbox row per job. */
export function startDeliverWorker(parts: DeliverWorkerParts, options: BullWorkerOptions): Worker {
  const { store, clock } = parts;
  const deliveryStore: DeliveryStore = {
    ...store.repos.deliveries,
    disabledWebhookTargets: () => store.repos.webhookTargets.disabledWebhookTargets(),
    disableWebhookTarget: (name, reason, at) => store.repos.webhookTargets.disableWebhookTarget(name, reason, at),
  };
  const deps = {
    store: deliveryStore,
    channels: parts.channels.channels,
    clock,
    random: parts.random,
    ...(parts.retryBaseMs === undefined ? {} : { retryBaseMs: parts.retryBaseMs }),
  };
  // A second job for a row this process is sending (re-added by the relay after a Redis loss) waits
  // for nothing and sends nothing, even if the send outlasts its claim in the store.
  const sending = new Set<string>();
  const deliver = async (id: string, signal: AbortSignal): Promise<DeliverOutcome> => {
    if (sending.has(id)) return { kind: 'skipped', reason: 'being sent by this worker' };
    sending.add(id);
    try {
      return await deliverOne(deps, id, signal);
    } finally {
      sending.delete(id);
    }
  };
  const processor = createDeliverProcessor({
    deliver,
    afterDelivery: (outcome) => { countDelivery(parts.metrics, outcome); },
    deliverQueue: parts.queues.deliver,
    clock,
    logger: parts.logger,
  });
  return new Worker(QUEUE.deliver, processor, { ...options, concurrency: 4 });
}
