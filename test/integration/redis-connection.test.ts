import type { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { checkRedis, createRedis, retryDelayMs, versionAtLeast } from '../../src/jobs/redis-connection.js';
import { findFreePort, startRedisServer, type RedisServer, type RedisServerOptions } from '../helpers/redis-server.js';

interface LogLine { level: number; msg: string; [key: string]: unknown }

function captureLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line) as LogLine) });
  return { logger, lines };
}

/** Polls `probe` until it returns true; fails at the deadline. */
async function eventually(probe: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('createRedis and checkRedis', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  async function server(options?: RedisServerOptions): Promise<RedisServer> {
    const started = await startRedisServer(options);
    cleanups.push(() => started.stop());
    return started;
  }
  function client(url: string, role: 'worker' | 'producer' | 'oneshot', logger: Logger): Redis {
    const redis = createRedis(url, { role, logger, minRetryDelayMs: 20, maxRetryDelayMs: 100 });
    cleanups.push(() => {
      redis.disconnect();
    });
    return redis;
  }

  it('worker: a command issued while Redis restarts waits and succeeds; one warning per outage', async () => {
    const redis$ = await server();
    const { logger, lines } = captureLogger();
    const redis = client(redis$.url, 'worker', logger);
    expect(await redis.ping()).toBe('PONG');
    expect(redis.options.maxRetriesPerRequest).toBeNull();

    await redis$.kill();
    const pending = redis.set('after', '1'); // queued while Redis is down
    await eventually(() => lines.some((l) => l.msg === 'Redis connection lost; reconnecting'));
    await redis$.restart();
    expect(await pending).toBe('OK');
    await eventually(() => lines.some((l) => l.msg === 'Redis connection ready again'));
    expect(lines.filter((l) => l.level === 40)).toHaveLength(1);
    expect(JSON.stringify(lines)).not.toContain('redis://'); // the URL (maybe with a password) is never logged
  });

  it('producer: fails fast while Redis is down, works again once it is back', async () => {
    const redis$ = await server();
    const { logger } = captureLogger();
    const redis = client(redis$.url, 'producer', logger);
    // Without an offline queue even the first command needs a ready connection (BullMQ's Queue waits itself).
    await eventually(() => redis.status === 'ready');
    expect(await redis.ping()).toBe('PONG');
    await redis$.kill();
    await eventually(() => redis.status !== 'ready');
    await expect(redis.set('k', 'v')).rejects.toThrow();
    await redis$.restart();
    await eventually(() => redis.status === 'ready');
    expect(await redis.set('k', 'v')).toBe('OK');
  });

  it('oneshot: gives up when nothing listens, so a CLI command ends', async () => {
    const port = await findFreePort();
    const { logger } = captureLogger();
    const redis = client(`redis://127.0.0.1:${port}`, 'oneshot', logger);
    await expect(redis.ping()).rejects.toThrow();
    await eventually(() => redis.status === 'end');
  });

  it('checkRedis: reports the version and says nothing when the policy is noeviction', async () => {
    const redis$ = await server();
    const { logger, lines } = captureLogger();
    const info = await checkRedis(client(redis$.url, 'oneshot', logger), logger);
    expect(versionAtLeast(info.version, '6.2.0')).toBe(true);
    expect(info.maxmemoryPolicy).toBe('noeviction');
    expect(lines.filter((l) => l.level >= 40)).toEqual([]);
  });

  it('checkRedis: warns once per client about an evicting policy, even with CONFIG disabled', async () => {
    const redis$ = await server({ extraArgs: ['--maxmemory-policy', 'allkeys-lru', '--rename-command', 'CONFIG', ''] });
    const { logger, lines } = captureLogger();
    const redis = client(redis$.url, 'oneshot', logger);
    await expect(redis.call('CONFIG', 'GET', 'maxmemory-policy')).rejects.toThrow(/unknown command/i);
    expect((await checkRedis(redis, logger)).maxmemoryPolicy).toBe('allkeys-lru');
    await checkRedis(redis, logger);
    const warnings = lines.filter((l) => l.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ maxmemoryPolicy: 'allkeys-lru', msg: expect.stringMatching(/noeviction/) });
  });

  it('checkRedis: refuses a Redis older than 6.2 in one line', async () => {
    const { logger } = captureLogger();
    const old = {
      options: { host: '10.0.0.5', port: 6379 },
      info: () => Promise.resolve('# Server\r\nredis_version:6.0.16\r\n# Memory\r\nmaxmemory_policy:noeviction\r\n'),
      call: () => Promise.resolve(['maxmemory-policy', 'noeviction']),
    } as unknown as Redis;
    const attempt = checkRedis(old, logger);
    await expect(attempt).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(attempt).rejects.toThrow(/^Redis at 10\.0\.0\.5:6379 is version 6\.0\.16; credit-monitor needs 6\.2\.0 or newer[^\n]*$/);
  });
});

describe('versionAtLeast and retryDelayMs', () => {
  it.each([
    { actual: '7.0.15', minimum: '6.2.0', expected: true },
    { actual: '6.2.0', minimum: '6.2.0', expected: true },
    { actual: '6.2', minimum: '6.2.0', expected: true },
    { actual: '6.0.16', minimum: '6.2.0', expected: false },
    { actual: '10.0.0', minimum: '6.2.0', expected: true },
    { actual: '5.9.99', minimum: '6.2.0', expected: false },
  ])('$actual >= $minimum is $expected', ({ actual, minimum, expected }) => {
    expect(versionAtLeast(actual, minimum)).toBe(expected);
  });

  it('backs off exponentially within ±20 % and stays under the cap', () => {
    for (let attempt = 1; attempt <= 30; attempt++) {
      const base = Math.min(250 * 2 ** (attempt - 1), 5000);
      const delay = retryDelayMs(attempt, 250, 5000);
      expect(delay).toBeGreaterThanOrEqual(base * 0.8);
      expect(delay).toBeLessThanOrEqual(base * 1.2);
    }
  });
});
