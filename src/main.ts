/**
 * The composition root: the only place that constructs adapters and wires them together. The CLI
 * commands and the worker ask it for ready-made parts.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { importCustomers } from './app/import-customers.js';
import type { CheckDeps } from './app/check-customer.js';
import type { RecordedRescan } from './app/request-rescan.js';
import { AppError } from './app/errors.js';
import type { Hash } from './domain/hash.js';
import type { Routing } from './domain/routing.js';
import type { Config } from './config/load-config.js';
import { createNextCheckAt } from './config/next-check.js';
import type { Logger } from './logger.js';
import type { Redis } from 'ioredis';
import { shanghaiDay } from './domain/dates.js';
import { gatedHttpClient, type RequestGate } from './providers/gated-http-client.js';
import { createHttpClient, HTTP_CLIENT_DEFAULTS } from './providers/http-client.js';
import { MockProvider } from './providers/mock/mock-provider.js';
import { startMockProviderServer } from './providers/mock/server.js';
import { loadMockState } from './providers/mock/state.js';
import type { CreditProvider } from './providers/provider.js';
import type { Channel } from './notify/channel.js';
import type { DigestSender } from './notify/digest-sender.js';
import { createEmailChannel } from './notify/email-channel.js';
import { createEscalationChannel } from './notify/escalation-channel.js';
import { createLogChannel } from './notify/log-channel.js';
import { createSmtpTransport } from './notify/smtp-transport.js';
import { createDigestSender } from './notify/digest-sender.js';
import { createWebhookChannel } from './notify/webhook-channel.js';
import { QICHACHA_DEFAULT_URL, QichachaProvider } from './providers/qichacha/qichacha-provider.js';
import { TIANYANCHA_DEFAULT_URL, TianyanchaProvider } from './providers/tianyancha/tianyancha-provider.js';
import { redisDataDir, resolveRedis } from './jobs/embedded-redis.js';
import { recordedRescanJob } from './jobs/rescan-request.js';
import { createQueues } from './jobs/queues.js';
import { KEEP_SECONDS, providerCallsKey, readProviderCalls, type ProviderCallsToday } from './jobs/provider-call-counter.js';
import { createRequestLimiter, type RequestLimiter } from './jobs/request-limiter.js';
import { createRedis } from './jobs/redis-connection.js';
import { createRepositories, type Repositories } from './store/create-repositories.js';
import { migrateDatabase, openDatabase, type DatabaseHandle } from './store/database.js';

export const sha256Hex: Hash = (text) => createHash('sha256').update(text).digest('hex');

/** The sample portfolio shipped in config/, served by the built-in mock provider. */
export const SAMPLE_PORTFOLIO_PATH = fileURLToPath(new URL('../config/sample-portfolio.json', import.meta.url));
export const SAMPLE_CUSTOMERS_PATH = fileURLToPath(new URL('../config/sample-customers.csv', import.meta.url));

export interface Store {
  handle: DatabaseHandle;
  repos: Repositories;
  close(): void;
}

/** Opens the SQLite store and applies committed migrations (idempotent). */
export function openStore(config: Pick<Config, 'dbPath'>): Store {
  const handle = openDatabase(config.dbPath);
  try {
    migrateDatabase(handle);
  } catch (error) {
    handle.close();
    throw error;
  }
  return { handle, repos: createRepositories(handle), close: () => { handle.close(); } };
}

/**
 * With CM_PROVIDER unset the demo mock provider answers. On a store built by a real provider that
 * would be a silent switch to made-up data (every unknown customer "not found"), so it is refused.
 * Setting CM_PROVIDER=mock explicitly is a deliberate switch, and a silent re-baseline.
 */
export async function refuseImplicitProviderSwitch(config: Config, store: Store): Promise<void> {
  if (!config.provider.implicit) return;
  const other = await store.repos.snapshots.providerOtherThan('mock');
  if (other === undefined) return;
  throw new AppError(
    'CONFIG_INVALID',
    `CM_PROVIDER is not set, so the demo mock provider would answer, but this store was built by ${other}: set CM_PROVIDER=${other} (or CM_PROVIDER=mock to switch on purpose)`,
  );
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
      return { provider: new TianyanchaProvider({ token, baseUrl, http, sections }), close: () => http.close() };
    }
    case 'qichacha': {
      const { key, secret } = config.provider.credentials;
      const baseUrl = config.provider.url ?? QICHACHA_DEFAULT_URL;
      return { provider: new QichachaProvider({ key, secret, baseUrl, http, sections }), close: () => http.close() };
    }
  }
}

/** The longest a worker's request waits out a rate-limit pause (the longest doubling pause); longer advised waits put the check back at once. */
export const WORKER_GATE_MAX_WAIT_MS = 301_000;
/** The longest `credit-monitor check` waits for its turn before it says the provider is rate-limited. */
export const CLI_GATE_MAX_WAIT_MS = 30_000;

/**
 * The fleet-wide gate on provider requests, in Redis: CM_PROVIDER_RATE evenly paced, the pause after
 * a rate-limit answer (CM_RATE_LIMIT_PAUSE), and the count of calls per section and Asia/Shanghai day.
 * The worker and `check` both send through it, so the limit and the count hold for every process.
 */
export function createProviderGate(config: Config, redis: Redis, logger: Logger, maxWaitMs: number): RequestLimiter {
  return createRequestLimiter(redis, `${config.queuePrefix}:provider-pacer`, {
    ratePerSecond: config.provider.ratePerSecond,
    pause: { baseMs: config.rateLimitPauseMs },
    maxWaitMs,
    counting: { key: () => providerCallsKey(config.queuePrefix, config.provider.kind, shanghaiDay(Date.now())), keepSeconds: KEEP_SECONDS },
    logger,
  });
}

/**
 * The fleet's gate for a one-shot command when Redis answers (never starting one); undefined when it
 * does not: the command then runs unpaced and uncounted rather than not at all. A standalone `check`
 * without a worker is normal use, so that is said at info level, and the probe itself is quiet.
 */
export async function openCliProviderGate(config: Config, logger: Logger): Promise<{ gate: RequestLimiter; close(): Promise<void> } | undefined> {
  const unreachable = (reason: string): void => {
    logger.info({ reason }, 'Redis is not reachable: this check is neither paced with the workers nor counted in today\'s provider calls');
  };
  let url: string;
  try {
    url = (await resolveRedis({ redisUrl: config.redisUrl, dataDir: redisDataDir(config.dbPath), logger, allowStart: false })).url;
  } catch (error) {
    unreachable((error as Error).message);
    return undefined;
  }
  const quiet = logger.child({}, { level: 'error' });
  const redis = createRedis(url, { role: 'oneshot', oneshotAttempts: 1, logger: quiet, connectionName: 'credit-monitor-cli' });
  try {
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    unreachable((error as Error).message);
    return undefined;
  }
  return {
    gate: createProviderGate(config, redis, logger, CLI_GATE_MAX_WAIT_MS),
    close: async () => {
      await redis.quit().catch(() => { redis.disconnect(); });
    },
  };
}

export function routingFrom(config: Config): Routing {
  const webhooks = config.webhookTargets.map((target) => target.name);
  const email = { to: config.mail.to, ...config.routing.email };
  const tagRecipients = config.routing.tagRecipients;
  const anyEmail = config.mail.to.length > 0 || Object.keys(tagRecipients).length > 0;
  // Until a channel is configured, events still reach someone: the log channel writes each as a line.
  return { webhooks, email, tagRecipients, log: webhooks.length === 0 && !anyEmail };
}

export function createCheckDeps(config: Config, store: Store, provider: CreditProvider): CheckDeps {
  return {
    store: store.repos.checks,
    provider,
    hash: sha256Hex,
    clock: Date.now,
    policy: config.tiers,
    routing: routingFrom(config),
    degradedAfter: config.degradedAfter,
    nextCheckAt: createNextCheckAt({ intervalMs: config.scanIntervalMs, cron: config.scanCron }),
  };
}

/**
 * With the built-in mock provider and an empty register, imports the sample customers so that a
 * newcomer's `npm start` shows checks and events at once.
 */
export async function seedSampleCustomers(store: Store, logger: Logger): Promise<void> {
  if ((await store.repos.customers.counts(Date.now())).total > 0) return;
  const summary = await importCustomers(readFileSync(SAMPLE_CUSTOMERS_PATH), SAMPLE_CUSTOMERS_PATH, {
    repo: store.repos.customers,
    audit: store.repos.auditLog,
    actor: 'worker:sample-data',
    now: Date.now(),
  });
  logger.info({ imported: summary.imported }, 'empty register and no provider configured: imported the sample customers');
}

export interface QueueClient {
  /** Adds the public `rescan` jobs of re-scan requests recorded in the store; returns their job ids. */
  addRescans(requests: readonly RecordedRescan[]): Promise<string[]>;
  /** BullMQ's counts per queue: waiting, active, delayed, prioritized, failed. */
  counts(): Promise<Record<string, Record<string, number>>>;
  /** Resumes the scan queue (a BullMQ global resume), e.g. after a provider stop. */
  resumeScan(): Promise<void>;
  /** The configured provider's calls today (Asia/Shanghai day), counted across every worker. */
  providerCallsToday(): Promise<ProviderCallsToday>;
  close(): Promise<void>;
}

/** A short-lived client of the queues for CLI commands; never starts a Redis of its own. */
export async function openQueueClient(config: Config, logger: Logger): Promise<QueueClient> {
  // The embedded server's password is read from its directory: the same install, the same Redis.
  const resolved = await resolveRedis({ redisUrl: config.redisUrl, dataDir: redisDataDir(config.dbPath), logger, allowStart: false });
  const redis = createRedis(resolved.url, { role: 'oneshot', logger, connectionName: 'credit-monitor-cli' });
  try {
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new AppError('REDIS_UNAVAILABLE', `Redis is not reachable (${(error as Error).message}); is the worker running, or is REDIS_URL right?`);
  }
  const queues = createQueues(redis, config.queuePrefix);
  return {
    addRescans: async (requests) => {
      const jobs = await queues.scan.addBulk(requests.map(recordedRescanJob));
      return jobs.map((job) => job.id ?? '?');
    },
    counts: async () => {
      const result: Record<string, Record<string, number>> = {};
      for (const queue of [queues.scan, queues.deliver]) {
        result[queue.name] = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed');
      }
      return result;
    },
    resumeScan: () => queues.scan.resume(),
    providerCallsToday: () => readProviderCalls(redis, config.queuePrefix, config.provider.kind, Date.now()),
    close: async () => {
      await queues.close();
      await redis.quit().catch(() => { redis.disconnect(); });
    },
  };
}

export interface Channels {
  channels: ReadonlyMap<string, Channel>;
  /** Sends one digest e-mail; undefined when no SMTP is configured. */
  sendDigest: DigestSender | undefined;
  close(): Promise<void>;
}

/**
 * The outbox channels a worker with this configuration sends (the digest's `email_digest` included),
 * as `openChannels` opens them. Rows on any other channel wait for a configuration that has it.
 */
export function configuredChannels(config: Config): string[] {
  const email = config.mail.smtpUrl !== undefined && config.mail.from !== undefined;
  return ['log', ...(config.webhookTargets.length > 0 ? ['webhook'] : []), ...(email ? ['email', 'email_digest', 'escalation'] : [])];
}

/** The delivery channels the configuration asks for; the log channel stands in when none is. */
export function openChannels(config: Config, logger: Logger): Channels {
  const channels = new Map<string, Channel>([['log', createLogChannel(logger)]]);
  const closers: Array<() => Promise<void> | void> = [];
  if (config.webhookTargets.length > 0) {
    const webhook = createWebhookChannel({ targets: config.webhookTargets });
    channels.set(webhook.name, webhook);
    closers.push(() => webhook.close());
  }
  let sendDigest: Channels['sendDigest'];
  if (config.mail.smtpUrl && config.mail.from) {
    const transport = createSmtpTransport(config.mail.smtpUrl);
    closers.push(() => { transport.close(); });
    const email = createEmailChannel({ transport, from: config.mail.from, language: config.language });
    channels.set(email.name, email);
    channels.set('escalation', createEscalationChannel(email));
    sendDigest = createDigestSender({ transport, from: config.mail.from, language: config.language });
  }
  return {
    channels,
    sendDigest,
    close: async () => {
      for (const close of closers.reverse()) await close();
    },
  };
}
