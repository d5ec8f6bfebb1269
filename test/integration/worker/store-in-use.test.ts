/**
 * A running worker says which store it uses: `/readyz` names its store check after the dialect
 * (`sqlite` or `postgres`) and `/metrics` carries `credit_monitor_store_info{dialect}`; on both stores.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCompany, testState } from '../../helpers/mock-provider-fixtures.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { STORE_DIALECTS } from '../../helpers/test-stores.js';
import { createWorkerHarness, type WorkerHarness } from '../../helpers/worker-harness.js';
import type { Store } from '../../../src/wiring/open-store.js';

describe.each(STORE_DIALECTS)('the store in use on /readyz and /metrics (%s)', (dialect) => {
  const other = dialect === 'sqlite' ? 'postgres' : 'sqlite';
  let redis: RedisServer;
  let h: WorkerHarness<Store>;

  beforeAll(async () => {
    redis = await startRedisServer();
    h = await createWorkerHarness({ dialect, redisUrl: redis.url, state: testState(testCompany(640)) });
  });
  afterAll(async () => {
    await h.cleanup();
    await redis.stop();
  });

  const get = async (url: string): Promise<{ status: number; text: string }> => {
    const response = await request(url, { headersTimeout: 5_000, bodyTimeout: 5_000 });
    return { status: response.statusCode, text: await response.body.text() };
  };

  it(`names the store check "${dialect}" and exports credit_monitor_store_info{dialect="${dialect}"} 1`, async () => {
    const worker = await h.startWorker({}, { httpPort: 'ephemeral', sweepEveryMs: 500, maintenanceEveryMs: 500 });
    const url = worker.healthUrl ?? '';
    await expect.poll(async () => (await get(`${url}/readyz`)).status, { timeout: 10_000 }).toBe(200);
    const checks = (JSON.parse((await get(`${url}/readyz`)).text) as { checks: Record<string, { ok: boolean }> }).checks;
    expect(checks[dialect]).toEqual({ ok: true });
    expect(Object.keys(checks)).not.toContain(other);

    const metrics = await get(`${url}/metrics`);
    expect(metrics.text).toContain(`credit_monitor_store_info{dialect="${dialect}"} 1`);
    expect(metrics.text).not.toContain(`dialect="${other}"`);
  });
});
