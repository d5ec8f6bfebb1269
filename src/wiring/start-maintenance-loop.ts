import type { Config } from '../config/load-config.js';
import { startMaintenance, type Maintenance } from '../jobs/maintenance.js';
import type { Queues } from '../jobs/queues.js';
import { recoverLostQueues } from '../jobs/recover-lost-queues.js';
import type { Releasers } from '../lifecycle/releasers.js';
import type { Logger } from '../logger.js';
import type { SendableFilter } from '../store/deliveries-repository.js';
import type { Channels } from './open-channels.js';
import type { Store } from './open-store.js';
import type { WorkerOptions } from './worker-options.js';

export interface MaintenanceParts {
  store: Store;
  queues: Queues;
  channels: Channels;
  /** The outbox rows the relay may enqueue: the same filter as right after a check. */
  sendable: SendableFilter;
  clock: () => number;
  logger: Logger;
}

/** The loop that rebuilds Redis from SQLite (schedulers, lost checks, the outbox relay); its first round runs before this returns. */
export async function startMaintenanceLoop(config: Config, parts: MaintenanceParts, options: WorkerOptions, releasers: Releasers): Promise<Maintenance> {
  const { store, queues, logger } = parts;
  const maintenance = startMaintenance({
    sweepQueue: queues.sweep,
    deliverQueue: queues.deliver,
    ...(options.sweepEveryMs === undefined ? {} : { sweepEveryMs: options.sweepEveryMs }),
    ...(options.maintenanceEveryMs === undefined ? {} : { intervalMs: options.maintenanceEveryMs }),
    onSchedulerCreated: () =>
      recoverLostQueues({
        clearQueued: () => store.repos.customers.clearQueued(),
        rescans: { ...store.repos.rescanRequests, scanQueue: queues.scan },
        logger,
      }),
    housekeeping: async () => { await store.repos.rescanRequests.clearDone(); },
    // Filtered in SQL: thousands of digest rows waiting for the day's digest must not starve the relay.
    pendingDeliveries: (dueBy, limit) => store.repos.deliveries.listPending(limit, { dueBy, sendable: parts.sendable }),
    digestTime: parts.channels.sendDigest === undefined ? undefined : config.digestTime,
    clock: parts.clock,
    logger,
  });
  releasers.push('maintenance', () => maintenance.stop());
  await maintenance.runOnce();
  return maintenance;
}
