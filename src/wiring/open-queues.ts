import type { Redis } from 'ioredis';
import type { Config } from '../config/load-config.js';
import { createQueues, type Queues } from '../jobs/queues.js';
import type { Releasers } from '../lifecycle/releasers.js';
import type { Logger } from '../logger.js';

/** The daemon's three queues (sweep, scan, deliver), their errors in the JSON log. */
export function openQueues(config: Config, redis: Redis, logger: Logger, releasers: Releasers): Queues {
  const queues = createQueues(redis, config.queuePrefix);
  releasers.push('queues', () => queues.close());
  // Without a listener BullMQ prints connection errors with console.error, outside the JSON log.
  for (const queue of [queues.sweep, queues.scan, queues.deliver]) {
    queue.on('error', (error) => { logger.warn({ err: error.message, queue: queue.name }, 'queue error'); });
  }
  return queues;
}
