/** `/readyz` of a running worker follows Redis: 503 while it is down, 200 again once it is back. */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { testCompany, testState } from '../../helpers/mock-provider-fixtures.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { createWorkerHarness, type WorkerHarness } from '../../helpers/worker-harness.js';

describe('/readyz and a Redis outage', () => {
  let redis: RedisServer;
  let h: WorkerHarness;

  beforeAll(async () => {
    redis = await startRedisServer();
    h = await createWorkerHarness({ redisUrl: redis.url, state: testState(testCompany(600)) });
    await h.store.repos.customers.add({ uscc: testCompany(600).uscc, name: testCompany(600).name });
  });
  afterAll(async () => {
    await h.cleanup();
    await redis.stop();
  });

  const readyz = async (url: string): Promise<{ status: number; body: unknown }> => {
    const response = await request(`${url}/readyz`, { headersTimeout: 5_000, bodyTimeout: 5_000 });
    return { status: response.statusCode, body: await response.body.json() };
  };

  it('goes 503 when redis-server dies and back to 200 after it restarts', { timeout: 30_000 }, async () => {
    const worker = await h.startWorker({}, { httpPort: 'ephemeral', sweepEveryMs: 500, maintenanceEveryMs: 500 });
    const url = worker.healthUrl ?? '';
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    await expect.poll(async () => (await readyz(url)).status, { timeout: 10_000 }).toBe(200);

    await redis.kill();
    let down = true;
    onTestFinished(async () => {
      // Closing a worker waits for Redis: bring it back even when an assertion failed.
      if (down) await redis.restart();
    });
    await expect.poll(async () => (await readyz(url)).status, { timeout: 10_000, interval: 200 }).toBe(503);
    expect((await readyz(url)).body).toMatchObject({ status: 'not_ready' });
    // /healthz stays 200: the process is alive, only not ready.
    expect((await request(`${url}/healthz`)).statusCode).toBe(200);

    await redis.restart();
    down = false;
    await expect.poll(async () => (await readyz(url)).status, { timeout: 15_000, interval: 200 }).toBe(200);
  });
});
