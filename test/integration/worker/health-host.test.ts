/**
 * CM_HTTP_HOST (issue 9 point 17): the worker's health and metrics server binds loopback unless told
 * otherwise. On Linux all of 127.0.0.0/8 reaches the loopback interface, so a server bound to
 * 127.0.0.1 refuses a connection to 127.0.0.2 while one bound to 0.0.0.0 accepts it: a second
 * address of this machine without needing a network.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCompany, testState } from '../../helpers/mock-provider-fixtures.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { createWorkerHarness, type WorkerHarness } from '../../helpers/worker-harness.js';

let redis: RedisServer;
let h: WorkerHarness;

beforeAll(async () => {
  redis = await startRedisServer();
  h = await createWorkerHarness({ redisUrl: redis.url, state: testState(testCompany(501)) });
});

afterAll(async () => {
  await h.cleanup();
  await redis.stop();
});

async function status(host: string, port: string): Promise<number | string> {
  try {
    const response = await request(`http://${host}:${port}/healthz`, { headersTimeout: 2000 });
    await response.body.dump();
    return response.statusCode;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  }
}

describe('the health server\'s address', () => {
  it('is 127.0.0.1 by default: answers on loopback, refuses another address of the machine', async () => {
    const worker = await h.startWorker({}, { httpPort: 'ephemeral' });
    const port = new URL(worker.healthUrl ?? '').port;
    expect(await status('127.0.0.1', port)).toBe(200);
    expect(await status('127.0.0.2', port)).toBe('ECONNREFUSED');
    await worker.close();
  });

  it('is CM_HTTP_HOST when set (0.0.0.0 in the Docker image and compose file)', async () => {
    const worker = await h.startWorker({ CM_HTTP_HOST: '0.0.0.0' }, { httpPort: 'ephemeral' });
    const port = new URL(worker.healthUrl ?? '').port;
    expect(await status('127.0.0.1', port)).toBe(200);
    expect(await status('127.0.0.2', port)).toBe(200);
    await worker.close();
  });
});
