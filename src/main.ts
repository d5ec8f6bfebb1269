/**
 * The composition root: the only place that constructs adapters and wires them together, with its
 * steps in src/wiring/ (each opens one resource and pushes its release onto one stack). The daemon
 * starts here (`startWorker`); the CLI, and next `serve`, ask `createParts` for what they need.
 * Time comes from one clock, handed in here.
 */
import type { Config } from './config/load-config.js';
import { createLoggedReleasers, type Releasers } from './lifecycle/releasers.js';
import { createShutdown } from './lifecycle/shutdown.js';
import type { Logger } from './logger.js';
import type { CreditProvider } from './providers/provider.js';
import type { Redis } from 'ioredis';
import type { RequestLimiter } from './jobs/request-limiter.js';
import { createCheckDeps } from './wiring/check-deps.js';
import { createWorkerMetrics } from './wiring/create-worker-metrics.js';
import { configuredGradeSchedule } from './wiring/configured-grade-schedule.js';
import { openChannels, warnUnconfiguredChannels } from './wiring/open-channels.js';
import { createProviderGate, WORKER_GATE_MAX_WAIT_MS } from './wiring/open-provider-gate.js';
import { openProvider } from './wiring/open-provider.js';
import { openProviderControls } from './wiring/open-provider-controls.js';
import { openQueues } from './wiring/open-queues.js';
import { openRedis } from './wiring/open-redis.js';
import { openStore } from './wiring/open-store.js';
import { refuseImplicitProviderSwitch } from './wiring/refuse-implicit-provider-switch.js';
import { seedSampleCustomers } from './wiring/sample-data.js';
import { startMaintenanceLoop } from './wiring/start-maintenance-loop.js';
import { startQueueWorkers } from './wiring/start-queue-workers.js';
import { startWorkerHealthServer } from './wiring/start-worker-health-server.js';
import type { WorkerOptions } from './wiring/worker-options.js';

export type { WorkerOptions };
// The one-shot commands' parts live in parts.ts (lazily loaded); re-exported for the daemon's callers.
export { createParts, type Parts, type PartsOptions, type QueueClient, type Store } from './parts.js';
export { openProvider, type ProviderHandle } from './wiring/open-provider.js';
export { SAMPLE_PORTFOLIO_PATH } from './wiring/sample-data.js';

import { clock, random } from './parts.js';

export interface RunningWorker {
  /** Base URL of the health server, when it runs. */
  healthUrl: string | undefined;
  /** Graceful within `CM_SHUTDOWN_GRACE`, then forced; `force` skips the graceful part. */
  readonly close: (force?: boolean) => Promise<void>;
  /** For SIGTERM/SIGINT: the first closes gracefully, a second forces at once. */
  readonly signal: (name: string) => Promise<void>;
}

/** The daemon (`credit-monitor worker`): each step opens one thing and registers its release. */
export async function startWorker(config: Config, logger: Logger, options: WorkerOptions = {}): Promise<RunningWorker> {
  const releasers = createLoggedReleasers(logger);
  try {
    const store = await openStore(config, { clock, releasers, onIdleError: (error) => { logger.warn({ err: error.message }, 'database connection lost; the pool reconnects'); } });
    await refuseImplicitProviderSwitch(config, store);
    const redis = await openRedis(config, logger, releasers);
    const { provider, gate } = await openGatedProvider(config, { redis: redis.client, logger }, releasers);
    if (config.provider.implicit && !config.provider.url) await seedSampleCustomers(store, logger, clock);
    const queues = openQueues(config, redis.client, logger, releasers);
    const controls = await openProviderControls(config, { redis: redis.client, store, queues, logger, clock });
    const metrics = createWorkerMetrics(config, { queues, controls, store, logger });
    const channels = openChannels(config, { logger, clock }, releasers);
    await warnUnconfiguredChannels(config, store, logger);
    // One plan per process, counted again by each sweep tick this process runs (or when it is a minute old).
    const schedule = configuredGradeSchedule(config, { countByGrade: () => store.repos.customers.countByGrade(), clock, random, logger });
    const checkDeps = createCheckDeps(config, store, provider, clock, schedule);
    // The one rule for which outbox rows this process sends, right after a check and in the relay.
    const sendable = { channels: [...channels.channels.keys()] };
    const parts = { store, redis: redis.client, queues, controls, metrics, channels, checkDeps, schedule, gate, sendable, clock, random, logger };
    const workers = startQueueWorkers(config, parts, options, releasers);
    const maintenance = await startMaintenanceLoop(config, parts, options, releasers);
    const health = await startWorkerHealthServer(config, { ...parts, workers, maintenance }, options, releasers);
    logger.info({ provider: config.provider.kind, queuePrefix: config.queuePrefix, redis: redis.source, health: health?.url }, 'worker started');
    const shutdown = createShutdown({
      releasers,
      graceMs: config.shutdownGraceMs,
      drain: async () => {
        await maintenance.stop();
        await workers.drain();
      },
      abandon: () => { workers.abandon(); },
      logger,
    });
    return { healthUrl: health?.url, close: shutdown.close, signal: shutdown.signal };
  } catch (error) {
    await releasers.releaseAll();
    throw error;
  }
}

/** The configured provider, every request through the fleet's gate (pacing, pause, call count). */
async function openGatedProvider(
  config: Config,
  parts: { redis: Redis; logger: Logger },
  releasers: Releasers,
): Promise<{ provider: CreditProvider; gate: RequestLimiter }> {
  const gate = createProviderGate(config, parts.redis, parts.logger, clock, WORKER_GATE_MAX_WAIT_MS);
  const handle = await openProvider(config, parts.logger, { gate });
  releasers.push('provider', () => handle.close());
  return { provider: handle.provider, gate };
}

