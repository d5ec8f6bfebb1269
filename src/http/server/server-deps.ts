import type { Config } from '../../config/load-config.js';
import type { CadencePlan } from '../../domain/grade-cadence.js';
import type { Logger } from '../../logger.js';
import type { QueueClient } from '../../wiring/open-queue-client.js';
import type { Store } from '../../wiring/open-store.js';

/** What `serve` gives its routes: the store, the queues when Redis answers, one clock, one logger. */
export interface ServerDeps {
  config: Readonly<Config>;
  store: Store;
  /** @throws AppError `REDIS_UNAVAILABLE` when Redis does not answer (the route answers 503). */
  queueClient(): Promise<QueueClient>;
  cadencePlan(): Promise<CadencePlan>;
  /** The outbox channels a worker with this configuration sends (for the status's failing channels). */
  configuredChannels: readonly string[];
  logger: Logger;
  clock(): number;
  /** Signs session cookies and CSRF tokens; the same for every `serve` of one store. */
  sessionKey: Buffer;
  /** How long a console session lasts. Default 8 h. */
  sessionTtlMs?: number;
  /** Sign-in attempts per minute per client address. Default 10. */
  loginAttemptsPerMinute?: number;
}
