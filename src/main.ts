/**
 * The composition root: the only place that constructs adapters and wires them together, with its
 * steps in src/wiring/ (each opens one resource and pushes its release onto one stack). The daemon
 * starts here (`startWorker`); the CLI, and next `serve`, ask `createParts` for what they need.
 * Time comes from one clock, handed in here.
 */
import type { CheckDeps } from './app/check-customer.js';
import type { ImportSummary } from './app/import-customers.js';
import type { RegradeDeps } from './app/regrade-customer.js';
import { loadConfig, type Config } from './config/load-config.js';
import type { CadencePlan } from './domain/grade-cadence.js';
import { createLoggedReleasers, createReleasers, type ReleaseProblem, type Releasers } from './lifecycle/releasers.js';
import { createShutdown } from './lifecycle/shutdown.js';
import { createLogger, type Logger } from './logger.js';
import { gatedHttpClient, type RequestGate } from './providers/gated-http-client.js';
import { createHttpClient, HTTP_CLIENT_DEFAULTS } from './providers/http-client.js';
import { MockProvider } from './providers/mock/mock-provider.js';
import { startMockProviderServer, type MockProviderServer, type MockProviderServerOptions } from './providers/mock/server.js';
import { loadMockState, type MockState } from './providers/mock/state.js';
import type { CreditProvider } from './providers/provider.js';
import { QICHACHA_DEFAULT_URL, QichachaProvider } from './providers/qichacha/qichacha-provider.js';
import { TIANYANCHA_DEFAULT_URL, TianyanchaProvider } from './providers/tianyancha/tianyancha-provider.js';
import type { Redis } from 'ioredis';
import type { RequestLimiter } from './jobs/request-limiter.js';
import { createCheckDeps, createRegradeDeps } from './wiring/check-deps.js';
import { createWorkerMetrics } from './wiring/create-worker-metrics.js';
import { configuredGradeSchedule } from './wiring/configured-grade-schedule.js';
import { configuredChannels, openChannels, warnUnconfiguredChannels } from './wiring/open-channels.js';
import { createProviderGate, openCliProviderGate, WORKER_GATE_MAX_WAIT_MS } from './wiring/open-provider-gate.js';
import { openProviderControls } from './wiring/open-provider-controls.js';
import { openQueueClient, type QueueClient } from './wiring/open-queue-client.js';
import { openQueues } from './wiring/open-queues.js';
import { openRedis } from './wiring/open-redis.js';
import { openStore, type Store } from './wiring/open-store.js';
import { refuseImplicitProviderSwitch } from './wiring/refuse-implicit-provider-switch.js';
import { importSampleCustomers, SAMPLE_PORTFOLIO_PATH, seedSampleCustomers } from './wiring/sample-data.js';
import { startMaintenanceLoop } from './wiring/start-maintenance-loop.js';
import { startQueueWorkers } from './wiring/start-queue-workers.js';
import { startWorkerHealthServer } from './wiring/start-worker-health-server.js';
import type { WorkerOptions } from './wiring/worker-options.js';

export type { QueueClient, Store, WorkerOptions };
export { SAMPLE_PORTFOLIO_PATH };

/** The process's one clock (epoch ms) and jitter source, handed to every part that takes one. */
const clock = (): number => Date.now();
const random = (): number => Math.random();

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

/**
 * What a one-shot command (and next `serve`) asks for. Each part is opened once, on first use, and
 * `release()` releases them all, newest first.
 */
export interface Parts {
  readonly config: () => Readonly<Config>;
  readonly logger: () => Logger;
  /** Epoch ms now: the process's one clock. */
  readonly clock: () => number;
  /** Opens (and migrates) the store. */
  readonly store: () => Promise<Store>;
  /** The queues, never starting a Redis. @throws AppError `REDIS_UNAVAILABLE` when Redis does not answer. */
  readonly queueClient: () => Promise<QueueClient>;
  /**
   * What `credit-monitor check` runs: the configured provider through the workers' gate when Redis
   * answers (paced with the fleet, counted in today's calls), unpaced when it does not.
   */
  readonly checkDeps: () => Promise<CheckDeps>;
  /** What `demo` runs: the built-in mock provider, no gate. */
  readonly demoCheckDeps: () => Promise<CheckDeps>;
  /** What a re-grade without a provider call needs (`figures import`). */
  readonly regradeDeps: () => Promise<RegradeDeps>;
  /** The cadence plan a worker with this configuration follows for the register as it is now. */
  readonly cadencePlan: () => Promise<CadencePlan>;
  /** The outbox channels a worker with this configuration sends. */
  readonly configuredChannels: () => string[];
  readonly importSampleCustomers: (actor: string) => Promise<ImportSummary>;
  readonly loadMockState: (file: string) => Promise<MockState>;
  readonly startMockProvider: (options: MockProviderServerOptions) => Promise<MockProviderServer>;
  /** Registers something the caller opened, released with the rest. */
  readonly onRelease: (name: string, release: () => Promise<void> | void) => void;
  readonly release: () => Promise<void>;
}

export interface PartsOptions {
  /** The configuration, when the caller has it; default loaded from the environment on first use. */
  config?: Readonly<Config>;
  /** Default a logger at the configuration's LOG_LEVEL, on first use. */
  logger?: Logger;
  /** Told about each release that failed; releasing goes on. */
  onReleaseProblem: (problem: ReleaseProblem) => void;
}

export function createParts(options: PartsOptions): Parts {
  const releasers = createReleasers({ onProblem: options.onReleaseProblem });
  let config = options.config;
  let logger = options.logger;
  let store: Promise<Store> | undefined;
  let queueClient: Promise<QueueClient> | undefined;
  const parts: Parts = {
    config: () => (config ??= loadConfig()),
    logger: () => (logger ??= createLogger(parts.config().logLevel)),
    clock,
    store: () => (store ??= openStore(parts.config(), { clock, releasers })),
    queueClient: () =>
      (queueClient ??= openQueueClient(parts.config(), parts.logger(), clock).then((client) => {
        releasers.push('queue client', () => client.close());
        return client;
      })),
    checkDeps: async () => {
      const [cfg, log, opened] = [parts.config(), parts.logger(), await parts.store()];
      await refuseImplicitProviderSwitch(cfg, opened);
      const gate = await openCliProviderGate(cfg, log, clock, releasers);
      const provider = await openProvider(cfg, log, gate ? { gate } : {});
      releasers.push('provider', () => provider.close());
      return createCheckDeps(cfg, opened, provider.provider, clock);
    },
    demoCheckDeps: async () => {
      const provider = await openProvider(parts.config(), parts.logger());
      releasers.push('provider', () => provider.close());
      return createCheckDeps(parts.config(), await parts.store(), provider.provider, clock);
    },
    regradeDeps: async () => createRegradeDeps(parts.config(), await parts.store(), clock),
    cadencePlan: async () => {
      const { repos } = await parts.store();
      return configuredGradeSchedule(parts.config(), { countByGrade: () => repos.customers.countByGrade(), clock }).plan();
    },
    configuredChannels: () => configuredChannels(parts.config()),
    importSampleCustomers: async (actor) => importSampleCustomers(await parts.store(), actor, clock()),
    loadMockState,
    startMockProvider: startMockProviderServer,
    onRelease: (name, release) => { releasers.push(name, release); },
    release: async () => {
      await releasers.releaseAll();
      logger?.flush();
    },
  };
  return parts;
}

export interface ProviderHandle {
  provider: CreditProvider;
  /** Set when the built-in mock provider runs in this process. */
  builtInUrl?: string;
  close(): Promise<void>;
}

/**
 * The configured provider. With CM_PROVIDER unset (or `mock` without CM_PROVIDER_URL) the built-in
 * mock provider runs in this process on the sample portfolio, so a newcomer sees checks at once.
 */
export async function openProvider(
  config: Config,
  logger: Logger,
  options: { gate?: RequestGate } = {},
): Promise<ProviderHandle> {
  const direct = createHttpClient({
    headersTimeoutMs: config.provider.timeoutMs,
    bodyTimeoutMs: config.provider.timeoutMs,
    maxBodyBytes: config.provider.maxBodyBytes,
  });
  // The gate admits a request only once one of the client's connections is free for it.
  const http = options.gate ? gatedHttpClient(direct, options.gate, { maxInFlight: HTTP_CLIENT_DEFAULTS.connections }) : direct;
  const kind = config.provider.kind;
  // The optional sections (provider.sections) each cost calls; only the adapter knows which ones.
  const sections = config.provider.sections;
  switch (kind) {
    case 'mock': {
      if (config.provider.url) {
        const provider = new MockProvider({ baseUrl: config.provider.url, http, sections });
        return { provider, close: () => http.close() };
      }
      const server = await startMockProviderServer({ state: await loadMockState(SAMPLE_PORTFOLIO_PATH), logger });
      logger.info({ url: server.url }, 'no provider configured: using the built-in mock provider on the sample portfolio');
      const provider = new MockProvider({ baseUrl: server.url, http, sections });
      return {
        provider,
        builtInUrl: server.url,
        close: async () => {
          await http.close();
          await server.close();
        },
      };
    }
    case 'tianyancha': {
      const { token } = config.provider.credentials;
      const baseUrl = config.provider.url ?? TIANYANCHA_DEFAULT_URL;
      return withHttp(http, () => new TianyanchaProvider({ token, baseUrl, http, sections }));
    }
    case 'qichacha': {
      const { key, secret } = config.provider.credentials;
      const baseUrl = config.provider.url ?? QICHACHA_DEFAULT_URL;
      return withHttp(http, () => new QichachaProvider({ key, secret, baseUrl, http, sections }));
    }
  }
}

/** A provider over `http`, which its handle closes; an adapter that refuses the configuration closes it too. */
async function withHttp(http: { close(): Promise<void> }, create: () => CreditProvider): Promise<ProviderHandle> {
  try {
    return { provider: create(), close: () => http.close() };
  } catch (error) {
    await http.close();
    throw error;
  }
}
