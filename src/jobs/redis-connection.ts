import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { AppError } from '../errors.js';

/**
 * What the connection is for; each role gets the reconnect and queueing behaviour BullMQ documents
 * for it (docs.bullmq.io "Going to production").
 * - `worker`: BullMQ `Worker`s and anything else in the daemon that must ride out a Redis outage.
 *   Commands wait for the connection (`maxRetriesPerRequest: null`, offline queue on) and it
 *   reconnects forever. BullMQ refuses a worker connection with `maxRetriesPerRequest` set.
 * - `producer`: BullMQ `Queue`s inside the daemon. Reconnects forever, but a command issued while
 *   Redis is down fails at once (`enableOfflineQueue: false`) instead of piling up in memory; the
 *   job that issued it fails and BullMQ retries it later. Hence also before the first 'ready': BullMQ's
 *   `Queue` waits for it by itself, a direct command must too.
 * - `oneshot`: a CLI command (`rescan`, `status`). Gives up after a few connection attempts so the
 *   command ends with an error instead of hanging.
 */
export const REDIS_ROLES = ['worker', 'producer', 'oneshot'] as const;
export type RedisRole = (typeof REDIS_ROLES)[number];

export interface CreateRedisOptions {
  /** See {@link REDIS_ROLES}. */
  role: RedisRole;
  /** Logs connection loss and recovery, once per outage, without the URL (it may hold a password). */
  logger: Logger;
  /** `CLIENT SETNAME`, shown by `CLIENT LIST`; helps an operator tell our connections apart. Default `credit-monitor:<role>`. */
  connectionName?: string;
  /** First reconnect delay in ms; doubles per attempt. Default 250. */
  minRetryDelayMs?: number;
  /**
   * Longest reconnect delay in ms. Default 5000: short enough that a worker is back within seconds
   * of Redis (the design's recovery bound is two minutes), long enough not to hammer a down server.
   */
  maxRetryDelayMs?: number;
  /** `oneshot` only: connection attempts before giving up. Default 3 (about 1 s in total). */
  oneshotAttempts?: number;
}

/**
 * Reconnect delay in ms for the `attempt`-th retry (1-based): exponential from `minMs`, capped at
 * `maxMs`, with ±20 % jitter so that several processes do not reconnect in lock-step.
 */
export function retryDelayMs(attempt: number, minMs: number, maxMs: number): number {
  const base = Math.min(minMs * 2 ** Math.max(0, attempt - 1), maxMs);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** Host and port for log lines and messages; never the URL, which may carry a password. */
export function redisAddress(redis: Redis): string {
  const { host, port, path } = redis.options;
  return path === undefined || path === '' ? `${host ?? '127.0.0.1'}:${port ?? 6379}` : path;
}

function roleOptions(options: CreateRedisOptions): RedisOptions {
  const minMs = options.minRetryDelayMs ?? 250;
  const maxMs = options.maxRetryDelayMs ?? 5000;
  switch (options.role) {
    case 'worker':
      return {
        maxRetriesPerRequest: null,
        enableOfflineQueue: true,
        retryStrategy: (attempt) => retryDelayMs(attempt, minMs, maxMs),
      };
    case 'producer':
      return {
        // Commands in flight when the link drops are retried on the next connection, once.
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
        retryStrategy: (attempt) => retryDelayMs(attempt, minMs, maxMs),
      };
    case 'oneshot': {
      const attempts = options.oneshotAttempts ?? 3;
      return {
        maxRetriesPerRequest: 1,
        // On: BullMQ and our first command may be issued before the connection is ready.
        enableOfflineQueue: true,
        connectTimeout: 5000,
        // null ends the connection; queued commands then reject and the command can report it.
        retryStrategy: (attempt) => (attempt > attempts ? null : retryDelayMs(attempt, minMs, maxMs)),
      };
    }
  }
}

/**
 * An ioredis client for `url` (`redis://` or `rediss://`) configured for BullMQ in the given role.
 * The client connects at once; its errors are logged here (an unlistened ioredis 'error' would print
 * to the console), so callers need not attach an 'error' listener.
 */
export function createRedis(url: string, options: CreateRedisOptions): Redis {
  const redis = new Redis(url, {
    connectionName: options.connectionName ?? `credit-monitor:${options.role}`,
    // OS keep-alive probes after 30 s idle find a half-open connection (a peer that vanished without
    // FIN), which otherwise leaves a blocking BRPOPLPUSH waiting forever.
    keepAlive: 30_000,
    // After a failover the old primary answers READONLY: reconnect and resend the command.
    reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
    ...roleOptions(options),
  });
  watchConnection(redis, options.logger.child({ redis: redisAddress(redis), role: options.role }));
  return redis;
}

/** One warning when the connection is lost, one info line when it is back: not one per retry. */
function watchConnection(redis: Redis, logger: Logger): void {
  let lostAt: number | undefined;
  let everReady = false;
  redis.on('error', (error: Error) => {
    if (lostAt !== undefined) return;
    lostAt = Date.now();
    logger.warn({ err: error.message }, everReady ? 'Redis connection lost; reconnecting' : 'Redis not reachable; retrying');
  });
  redis.on('ready', () => {
    if (lostAt !== undefined) logger.info({ downMs: Date.now() - lostAt }, 'Redis connection ready again');
    lostAt = undefined;
    everReady = true;
  });
}

/** Lowest Redis version we accept: BullMQ is "fully compliant with 6.2.0 or newer" and warns below it. */
export const MIN_REDIS_VERSION = '6.2.0';

/** What {@link checkRedis} found. */
export interface RedisServerInfo {
  /** `redis_version` from INFO, e.g. `7.0.15` (Valkey and Dragonfly report a compatible one). */
  version: string;
  /** `maxmemory-policy`, or undefined when neither CONFIG nor INFO would tell. */
  maxmemoryPolicy: string | undefined;
}

/** True when dotted version `actual` is at least `minimum` (numeric per part, missing parts are 0). */
export function versionAtLeast(actual: string, minimum: string): boolean {
  const parse = (version: string): number[] => version.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const a = parse(actual);
  const b = parse(minimum);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff > 0;
  }
  return true;
}

function infoField(info: string, field: string): string | undefined {
  const line = info.split(/\r?\n/).find((l) => l.startsWith(`${field}:`));
  return line?.slice(field.length + 1).trim();
}

/** CONFIG GET first; managed Redis often disables or renames CONFIG, so fall back to INFO memory. */
async function readMaxmemoryPolicy(redis: Redis, info: string): Promise<string | undefined> {
  try {
    const reply = await redis.call('CONFIG', 'GET', 'maxmemory-policy');
    if (Array.isArray(reply) && typeof reply[1] === 'string') return reply[1];
  } catch {
    // Disabled CONFIG ("unknown command", "NOPERM"): INFO below still answers.
  }
  return infoField(info, 'maxmemory_policy');
}

const warnedPolicy = new WeakSet<Redis>();

/**
 * Checks the server behind `redis` once the daemon starts: throws `AppError('CONFIG_INVALID')` with
 * a one-line message when Redis is older than {@link MIN_REDIS_VERSION}; warns (once per client,
 * however often it is called) when `maxmemory-policy` is not `noeviction`, because eviction silently
 * deletes jobs and locks. Waits for the connection like any other command.
 */
export async function checkRedis(redis: Redis, logger: Logger): Promise<RedisServerInfo> {
  // Plain INFO holds both the server and the memory section.
  const info = await redis.info();
  const version = infoField(info, 'redis_version') ?? '0.0.0';
  if (!versionAtLeast(version, MIN_REDIS_VERSION)) {
    throw new AppError(
      'CONFIG_INVALID',
      `Redis at ${redisAddress(redis)} is version ${version}; credit-monitor needs ${MIN_REDIS_VERSION} or newer (upgrade it or point REDIS_URL at another server)`,
    );
  }
  const maxmemoryPolicy = await readMaxmemoryPolicy(redis, info);
  if (maxmemoryPolicy !== 'noeviction' && !warnedPolicy.has(redis)) {
    warnedPolicy.add(redis);
    logger.warn(
      { redis: redisAddress(redis), maxmemoryPolicy: maxmemoryPolicy ?? 'unknown' },
      'Redis maxmemory-policy should be noeviction: under memory pressure Redis would delete queued jobs (set maxmemory-policy noeviction)',
    );
  }
  return { version, maxmemoryPolicy };
}
