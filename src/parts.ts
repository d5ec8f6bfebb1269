/**
 * What the one-shot commands (and `serve`) open, each part on first use. The wiring behind each part
 * is imported only when it is asked for: a `customers list` loads no Redis, queue, mail or HTTP
 * client code, and so starts in a fraction of the daemon's start-up time.
 */
import type { CheckDeps } from './app/check-customer.js';
import type { ImportSummary } from './app/import-customers.js';
import type { RegradeDeps } from './app/regrade-customer.js';
import { loadConfig, type Config } from './config/load-config.js';
import type { CadencePlan } from './domain/grade-cadence.js';
import { createReleasers, type ReleaseProblem } from './lifecycle/releasers.js';
import { createLogger, type Logger } from './logger.js';
import type { MockProviderServer, MockProviderServerOptions } from './providers/mock/server.js';
import type { MockState } from './providers/mock/state.js';
import { configuredChannels } from './wiring/configured-channels.js';
import type { QueueClient } from './wiring/open-queue-client.js';
import { openStore, type Store } from './wiring/open-store.js';

export type { QueueClient, Store };

/** The process's one clock (epoch ms) and jitter source, handed to every part that takes one. */
export const clock = (): number => Date.now();
export const random = (): number => Math.random();

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
      (queueClient ??= import('./wiring/open-queue-client.js').then(async ({ openQueueClient }) => {
        const client = await openQueueClient(parts.config(), parts.logger(), clock);
        releasers.push('queue client', () => client.close());
        return client;
      })),
    checkDeps: async () => {
      const [cfg, log, opened] = [parts.config(), parts.logger(), await parts.store()];
      const [{ refuseImplicitProviderSwitch }, { openCliProviderGate }, { openProvider }, { createCheckDeps }] = await Promise.all([
        import('./wiring/refuse-implicit-provider-switch.js'),
        import('./wiring/open-provider-gate.js'),
        import('./wiring/open-provider.js'),
        import('./wiring/check-deps.js'),
      ]);
      await refuseImplicitProviderSwitch(cfg, opened);
      const gate = await openCliProviderGate(cfg, log, clock, releasers);
      const provider = await openProvider(cfg, log, gate ? { gate } : {});
      releasers.push('provider', () => provider.close());
      return createCheckDeps(cfg, opened, provider.provider, clock);
    },
    demoCheckDeps: async () => {
      const [{ openProvider }, { createCheckDeps }] = await Promise.all([import('./wiring/open-provider.js'), import('./wiring/check-deps.js')]);
      const provider = await openProvider(parts.config(), parts.logger());
      releasers.push('provider', () => provider.close());
      return createCheckDeps(parts.config(), await parts.store(), provider.provider, clock);
    },
    regradeDeps: async () => (await import('./wiring/check-deps.js')).createRegradeDeps(parts.config(), await parts.store(), clock),
    cadencePlan: async () => {
      const { repos } = await parts.store();
      const { configuredGradeSchedule } = await import('./wiring/configured-grade-schedule.js');
      return configuredGradeSchedule(parts.config(), { countByGrade: () => repos.customers.countByGrade(), clock }).plan();
    },
    configuredChannels: () => configuredChannels(parts.config()),
    importSampleCustomers: async (actor) => (await import('./wiring/sample-data.js')).importSampleCustomers(await parts.store(), actor, clock()),
    loadMockState: async (file) => (await import('./providers/mock/state.js')).loadMockState(file),
    startMockProvider: async (options) => (await import('./providers/mock/server.js')).startMockProviderServer(options),
    onRelease: (name, release) => { releasers.push(name, release); },
    release: async () => {
      await releasers.releaseAll();
      logger?.flush();
    },
  };
  return parts;
}

