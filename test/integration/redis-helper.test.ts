import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { pingRedis } from '../../src/jobs/ping-redis.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';

describe('startRedisServer (test helper)', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start(options?: Parameters<typeof startRedisServer>[0]): Promise<{ server: RedisServer; client: Redis }> {
    const server = await startRedisServer(options);
    // maxRetriesPerRequest: null so that commands issued across a restart wait instead of failing.
    const client = new Redis(server.url, { maxRetriesPerRequest: null, retryStrategy: () => 50 });
    client.on('error', () => undefined); // refused reconnects during restart are expected
    cleanups.push(async () => {
      client.disconnect();
      await server.stop();
    });
    return { server, client };
  }

  it('starts on a free loopback port with noeviction, flushes, and stops', async () => {
    const { server, client } = await start();
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(await client.call('CONFIG', 'GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);

    await client.set('k', 'v');
    await server.flushAll();
    expect(await client.dbsize()).toBe(0);

    await server.stop();
    expect(await pingRedis({ port: server.port })).toBeUndefined();
    await server.stop(); // idempotent
  });

  it('restart without persistence comes back empty on the same port', async () => {
    const { server, client } = await start();
    await client.set('k', 'v');
    await server.restart();
    expect(await client.get('k')).toBeNull();
    expect(await pingRedis({ port: server.port })).toBe('+PONG');
  });

  it('restart with persistence keeps the data, also after a SIGKILL', async () => {
    const { server, client } = await start({ persistence: true });
    await client.set('graceful', '1');
    await server.restart();
    expect(await client.get('graceful')).toBe('1');

    // Redis writes the AOF before it replies, so an acknowledged write survives a process crash
    // (everysec only risks the last second on power loss, which a SIGKILL is not).
    await client.set('crashed', '1');
    await server.kill();
    expect(await pingRedis({ port: server.port })).toBeUndefined();
    await server.restart();
    expect(await client.get('crashed')).toBe('1');
  });

  it('runs two servers side by side on different ports', async () => {
    const a = await start();
    const b = await start();
    expect(a.server.port).not.toBe(b.server.port);
    await a.client.set('only-in-a', '1');
    expect(await b.client.exists('only-in-a')).toBe(0);
  });
});
