/**
 * `credit-monitor serve`: the API and console on CM_API_HOST:CM_API_PORT, over the store and (when
 * it answers) Redis; no worker needed in the same process. Shut down like the worker: stop taking
 * connections, finish what is in flight within CM_SHUTDOWN_GRACE, then release everything.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config/load-config.js';
import { createLoggedReleasers } from '../lifecycle/releasers.js';
import type { Logger } from '../logger.js';
import { buildServer } from '../http/server/build-server.js';
import type { ServerDeps } from '../http/server/server-deps.js';
import type { MetaRepository } from '../store/meta-repository.js';
import { configuredChannels } from './configured-channels.js';
import { configuredGradeSchedule } from './configured-grade-schedule.js';
import { openQueueClient, type QueueClient } from './open-queue-client.js';
import { openStore } from './open-store.js';

/** The meta key of the key that signs console sessions: one for every `serve` of a store. */
const SESSION_KEY = 'console_session_key';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Overrides CM_API_PORT (tests: 0 for a free port). */
  port?: number;
  clock?: () => number;
}

/** The signing key of console sessions, made once per store (so every host of a fleet shares it). */
export async function sessionKeyOf(meta: Pick<MetaRepository, 'get' | 'setIfAbsent'>): Promise<Buffer> {
  await meta.setIfAbsent(SESSION_KEY, randomBytes(32).toString('hex'));
  const stored = await meta.get(SESSION_KEY);
  if (stored === undefined) throw new Error('the session key vanished from the store');
  return Buffer.from(stored, 'hex');
}

/**
 * One queue client, opened on first use and opened again after it failed (Redis restarted), so a
 * console keeps working while Redis comes and goes: only re-scans and queue figures need it.
 */
function lazyQueueClient(config: Config, logger: Logger, clock: () => number): { get(): Promise<QueueClient>; close(): Promise<void> } {
  let client: Promise<QueueClient> | undefined;
  return {
    get: () => {
      client ??= openQueueClient(config, logger, clock).catch((error: unknown) => {
        client = undefined;
        throw error;
      });
      return client;
    },
    close: async () => {
      const open = await client?.catch(() => undefined);
      await open?.close();
    },
  };
}

export async function startServer(config: Config, logger: Logger, options: ServerOptions = {}): Promise<RunningServer> {
  const clock = options.clock ?? Date.now;
  const releasers = createLoggedReleasers(logger);
  try {
    const store = await openStore(config, { clock, releasers, onIdleError: (error) => { logger.warn({ err: error.message }, 'database connection lost; the pool reconnects'); } });
    const queues = lazyQueueClient(config, logger, clock);
    releasers.push('queue client', () => queues.close());
    const schedule = configuredGradeSchedule(config, { countByGrade: () => store.repos.customers.countByGrade(), clock });
    const deps: ServerDeps = {
      config,
      store,
      queueClient: () => queues.get(),
      cadencePlan: () => schedule.plan(),
      configuredChannels: configuredChannels(config),
      logger,
      clock,
      sessionKey: await sessionKeyOf(store.repos.meta),
    };
    const app = await buildServer(deps);
    releasers.push('http server', () => app.close());
    await app.listen({ host: config.apiHost, port: options.port ?? config.apiPort });
    const address = app.server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${host}:${String(address.port)}`;
    logger.info({ url, store: store.location }, 'serving the API and console');
    return { url, close: () => releasers.releaseAll() };
  } catch (error) {
    await releasers.releaseAll();
    throw error;
  }
}
