import type { Config } from '../config/load-config.js';
import { createMetrics, type Metrics, type QueueDepthSample } from '../http/metrics.js';
import type { Queues } from '../jobs/queues.js';
import type { Logger } from '../logger.js';
import type { Store } from './open-store.js';
import type { ProviderControls } from './open-provider-controls.js';

/** The daemon's metrics, with queue depths and the provider's calls and stop read on each scrape, and the store in use. */
export function createWorkerMetrics(
  config: Config,
  parts: { queues: Queues; controls: ProviderControls; store: Pick<Store, 'dialect'>; logger: Logger },
): Metrics {
  const { queues, controls, store, logger } = parts;
  return createMetrics({
    logger,
    storeDialect: store.dialect,
    queueDepth: async () => {
      const samples: QueueDepthSample[] = [];
      for (const queue of [queues.scan, queues.deliver, queues.sweep]) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed');
        for (const [state, count] of Object.entries(counts)) samples.push({ queue: queue.name, state, count });
      }
      return samples;
    },
    provider: {
      provider: config.provider.kind,
      callsToday: async () => (await controls.calls.today()).bySection,
      stopped: async () => (await controls.providerStop.current()) !== undefined,
      dailyCallBudget: config.provider.dailyCallBudget,
    },
  });
}
