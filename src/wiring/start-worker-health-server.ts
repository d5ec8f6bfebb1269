import type { Redis } from 'ioredis';
import type { Config } from '../config/load-config.js';
import { startHealthServer, type HealthServer } from '../http/health-server.js';
import type { Metrics } from '../http/metrics.js';
import { workerReadiness } from '../http/worker-readiness.js';
import type { Maintenance } from '../jobs/maintenance.js';
import { delay } from '../lifecycle/delay.js';
import type { Releasers } from '../lifecycle/releasers.js';
import type { Logger } from '../logger.js';
import type { Store } from './open-store.js';
import type { QueueWorkers } from './start-queue-workers.js';
import { MAINTENANCE_EVERY_MS, type WorkerOptions } from './worker-options.js';

export interface HealthParts {
  store: Store;
  redis: Redis;
  workers: QueueWorkers;
  maintenance: Maintenance;
  metrics: Metrics;
  clock: () => number;
  logger: Logger;
}

/** `/healthz`, `/readyz` and `/metrics` on CM_HTTP_PORT; undefined when the port is 0 (off). */
export async function startWorkerHealthServer(
  config: Config,
  parts: HealthParts,
  options: WorkerOptions,
  releasers: Releasers,
): Promise<HealthServer | undefined> {
  const { store, redis } = parts;
  const health = await startHealthServer({
    port: options.httpPort ?? config.httpPort,
    host: config.httpHost,
    metrics: parts.metrics,
    readiness: () =>
      workerReadiness({
        // The worker connection queues commands while Redis is away; bound the wait to answer promptly.
        pingRedis: () => Promise.race([redis.ping().then(() => true, () => false), delay(1000, false)]),
        storeDialect: store.dialect,
        pingStore: () => Promise.race([store.ping().then(() => true, () => false), delay(2000, false)]),
        stoppedWorkers: () => parts.workers.stopped(),
        lastMaintenanceRound: () => parts.maintenance.lastRoundAt(),
        maxRoundAgeMs: 4 * (options.maintenanceEveryMs ?? MAINTENANCE_EVERY_MS),
        clock: parts.clock,
      }),
    logger: parts.logger,
  });
  if (health) releasers.push('health server', () => health.close());
  return health;
}
