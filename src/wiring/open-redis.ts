/** Redis for the daemon (REDIS_URL, one already on 127.0.0.1, or an embedded redis-server it starts) and for one-shot commands. */
import type { Redis } from 'ioredis';
import type { Config } from '../config/load-config.js';
import { redisDataDir, resolveRedis, type ResolvedRedis } from '../jobs/embedded-redis.js';
import { checkRedis, createRedis } from '../jobs/redis-connection.js';
import type { Releasers } from '../lifecycle/releasers.js';
import type { Logger } from '../logger.js';

export interface OpenedRedis {
  client: Redis;
  /** Where it came from, for the start-up line. */
  source: ResolvedRedis['source'];
}

/** The worker's connection; starts the embedded server when nothing answers, and checks the server's version and eviction policy. */
export async function openRedis(config: Config, logger: Logger, releasers: Releasers): Promise<OpenedRedis> {
  const resolved = await resolveRedis({ redisUrl: config.redisUrl, dataDir: redisDataDir(config.dataDir), searchPath: config.searchPath, logger });
  releasers.push('embedded redis', () => resolved.stop());
  const client = createRedis(resolved.url, { role: 'worker', logger, connectionName: 'credit-monitor-worker' });
  releasers.push('redis', () => quitRedis(client));
  await checkRedis(client, logger);
  return { client, source: resolved.source };
}

export interface OneshotRedisOptions {
  /** Connection attempts before commands fail. Default the one-shot role's. */
  attempts?: number;
  /** Logs only errors of the connection (a probe that may well fail says so itself). */
  quiet?: boolean;
}

/**
 * Where a one-shot command finds the install's Redis, never starting one (a server started by a CLI
 * command would die with it). The embedded server's password is read from its directory: the same
 * install, the same Redis.
 */
export async function oneshotRedisUrl(config: Config, logger: Logger): Promise<string> {
  return (await resolveRedis({ redisUrl: config.redisUrl, dataDir: redisDataDir(config.dataDir), searchPath: config.searchPath, logger, allowStart: false })).url;
}

/** A one-shot command's connection, once it answered PING; rejects with the ping's error and leaves nothing open. */
export async function connectOneshotRedis(url: string, logger: Logger, options: OneshotRedisOptions = {}): Promise<Redis> {
  const client = createRedis(url, {
    role: 'oneshot',
    ...(options.attempts === undefined ? {} : { oneshotAttempts: options.attempts }),
    logger: options.quiet === true ? logger.child({}, { level: 'error' }) : logger,
    connectionName: 'credit-monitor-cli',
  });
  try {
    await client.ping();
  } catch (error) {
    client.disconnect();
    throw error;
  }
  return client;
}

export async function quitRedis(client: Redis): Promise<void> {
  await client.quit().catch(() => { client.disconnect(); });
}
