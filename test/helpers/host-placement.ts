/**
 * Where the multi-host test puts things. With network namespaces (root, iproute2): PostgreSQL and
 * Redis each on a host of their own, every worker on its own host, all on one switch that this test
 * process is plugged into (the mock provider, webhook receiver and SMTP sink listen on its address);
 * a partition unplugs a worker's cable. Without them (or with `CM_TEST_NETNS=off`): every process on
 * 127.0.0.1, each worker reaching PostgreSQL and Redis through TCP proxies of its own, and a
 * partition cuts those proxies (the worker still reaches the provider and the receiver then).
 * The test must print `fallbackReason` when it is set: a loopback run is not a multi-host run.
 */
import { parseStoreLocation } from '../../src/store/store-location.js';
import { createHostNetwork, netnsAvailable, type HostNetwork } from './netns.js';
import { startCuttableProxy, type CuttableProxy } from './cuttable-proxy.js';
import { findFreePort } from './free-port.js';
import { startPostgresServer, type PostgresServer } from './postgres-server.js';
import { startRedisServer, type RedisServer } from './redis-server.js';

export type PlacementMode = 'netns' | 'loopback';

export interface HostPlacement {
  readonly mode: PlacementMode;
  /** Why this run is on loopback; undefined for a network-namespace run. */
  readonly fallbackReason: string | undefined;
  readonly postgres: PostgresServer;
  readonly redis: RedisServer;
  /** Where the test process's own servers listen so that every worker reaches them. */
  readonly listenHost: string;
  /** The worker hosts' names, e.g. `['w1', 'w2', 'w3']`. */
  readonly workers: readonly string[];
  /** What goes before `node` to run a process on `worker` (`ip netns exec …`; nothing on loopback). */
  commandPrefix(worker: string): string[];
  /** REDIS_URL, CM_DB (from the rig's `cmDb`), CM_HTTP_HOST and CM_HTTP_PORT as `worker` sees them. */
  workerEnv(worker: string, cmDb: string): Record<string, string>;
  /** The worker's health server, as this process reaches it. */
  healthUrl(worker: string): string;
  /** Partitions `worker` from PostgreSQL and Redis (and, with namespaces, from everything). */
  cut(worker: string): Promise<void>;
  restore(worker: string): Promise<void>;
  /** Stops the servers and removes the network or proxies. */
  teardown(): Promise<void>;
}

/** The worker's health port inside its own namespace: every host has the same, like real hosts. */
const NETNS_HEALTH_PORT = 9464;

/** Which placement {@link placeHosts} will make here, and why not namespaces (for test titles). */
export function placementPlan(): { mode: 'netns' } | { mode: 'loopback'; reason: string } {
  if (process.env.CM_TEST_NETNS === 'off') return { mode: 'loopback', reason: 'CM_TEST_NETNS=off asked for the loopback fallback' };
  const probe = netnsAvailable();
  return probe.ok ? { mode: 'netns' } : { mode: 'loopback', reason: probe.reason };
}

/** Places PostgreSQL, Redis and `workers`; see the file comment. */
export async function placeHosts(workers: readonly string[]): Promise<HostPlacement> {
  const plan = placementPlan();
  return plan.mode === 'netns' ? placeInNamespaces(workers) : placeOnLoopback(workers, plan.reason);
}

async function placeInNamespaces(workers: readonly string[]): Promise<HostPlacement> {
  const network: HostNetwork = await createHostNetwork(['pg', 'redis', ...workers]);
  try {
    const postgres = await startPostgresServer({ host: network.address('pg'), commandPrefix: network.execPrefix('pg') });
    const redis = await startRedisServer({ host: network.address('redis'), commandPrefix: network.execPrefix('redis') });
    return {
      mode: 'netns',
      fallbackReason: undefined,
      postgres,
      redis,
      listenHost: network.rootAddress,
      workers,
      commandPrefix: (worker) => network.execPrefix(worker),
      workerEnv: (worker, cmDb) => ({
        REDIS_URL: redis.url,
        CM_DB: cmDb,
        CM_HTTP_HOST: network.address(worker),
        CM_HTTP_PORT: String(NETNS_HEALTH_PORT),
      }),
      healthUrl: (worker) => `http://${network.address(worker)}:${NETNS_HEALTH_PORT}`,
      cut: (worker) => network.cut(worker),
      restore: (worker) => network.restore(worker),
      teardown: async () => {
        await Promise.allSettled([redis.stop(), postgres.stop()]);
        await network.teardown();
      },
    };
  } catch (error) {
    await network.teardown();
    throw error;
  }
}

interface LoopbackHost {
  pg: CuttableProxy;
  redis: CuttableProxy;
  healthPort: number;
}

async function placeOnLoopback(workers: readonly string[], reason: string): Promise<HostPlacement> {
  const postgres = await startPostgresServer();
  const redis = await startRedisServer();
  const hosts = new Map<string, LoopbackHost>();
  for (const worker of workers) {
    hosts.set(worker, {
      pg: await startCuttableProxy({ host: postgres.host, port: postgres.port }),
      redis: await startCuttableProxy({ host: '127.0.0.1', port: redis.port }),
      healthPort: await findFreePort(),
    });
  }
  const hostOf = (worker: string): LoopbackHost => {
    const host = hosts.get(worker);
    if (host === undefined) throw new Error(`no worker host "${worker}" (hosts: ${workers.join(', ')})`);
    return host;
  };
  return {
    mode: 'loopback',
    fallbackReason: reason,
    postgres,
    redis,
    listenHost: '127.0.0.1',
    workers,
    commandPrefix: () => [],
    workerEnv: (worker, cmDb) => {
      const host = hostOf(worker);
      // A PostgreSQL URL goes through this host's proxy; a SQLite path is a file, which no proxy cuts.
      const viaProxy = parseStoreLocation(cmDb, process.cwd()).dialect === 'postgres' ? new URL(cmDb) : undefined;
      if (viaProxy !== undefined) viaProxy.port = String(host.pg.port);
      return {
        REDIS_URL: `redis://127.0.0.1:${host.redis.port}`,
        CM_DB: viaProxy?.toString() ?? cmDb,
        CM_HTTP_HOST: '127.0.0.1',
        CM_HTTP_PORT: String(host.healthPort),
      };
    },
    healthUrl: (worker) => `http://127.0.0.1:${hostOf(worker).healthPort}`,
    cut: (worker) => {
      hostOf(worker).pg.cut();
      hostOf(worker).redis.cut();
      return Promise.resolve();
    },
    restore: (worker) => {
      hostOf(worker).pg.restore();
      hostOf(worker).redis.restore();
      return Promise.resolve();
    },
    teardown: async () => {
      await Promise.allSettled([...hosts.values()].flatMap((host) => [host.pg.close(), host.redis.close()]));
      await Promise.allSettled([redis.stop(), postgres.stop()]);
    },
  };
}
