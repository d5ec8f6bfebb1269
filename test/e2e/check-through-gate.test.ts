/**
 * `credit-monitor check` sends through the same gate as the worker whenever Redis answers: its calls
 * are counted in today's provider calls (and so in the daily budget), and it keeps to the fleet's
 * pause after a rate-limit answer instead of sending into it. Without Redis it still checks.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/logger.js';
import { createProviderGate, WORKER_GATE_MAX_WAIT_MS } from '../../src/wiring/open-provider-gate.js';
import { importCustomers } from '../helpers/fault-oracle.js';
import { startFaultRig, type FaultRig } from '../helpers/fault-rig.js';
import { testCompany, testState } from '../helpers/mock-provider-fixtures.js';
import { REPO_ROOT } from '../helpers/run-cli.js';

const company = testCompany(820);

describe('check and the fleet-wide gate', () => {
  let rig: FaultRig;
  let redis: Redis;

  beforeAll(async () => {
    rig = await startFaultRig({ state: testState(company) });
    await importCustomers(rig, [company]);
    redis = new Redis(rig.redis.url);
  });
  afterAll(async () => {
    await redis.quit();
    await rig.cleanup();
  });

  const callsToday = async (): Promise<number> => {
    const status = await rig.cli(['status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    return (JSON.parse(status.stdout) as { providerCalls: { total: number } }).providerCalls.total;
  };

  it('counts its calls in today\'s provider calls, like the worker', { timeout: 30_000 }, async () => {
    const checked = await rig.cli(['check', '--uscc', company.uscc]);
    expect(checked.code, checked.stderr).toBe(0);
    expect(await callsToday()).toBe(3);
  });

  it('keeps to the fleet\'s pause after a rate-limit answer: nothing is sent, nothing recorded', { timeout: 30_000 }, async () => {
    // A worker's request was refused with an advised wait of two minutes: the fleet is paused.
    const gate = createProviderGate(loadConfig(rig.env(), REPO_ROOT), redis, createLogger('silent'), Date.now, WORKER_GATE_MAX_WAIT_MS);
    const answer = await gate.acquire(AbortSignal.timeout(5_000));
    if (!answer.admitted) throw new Error('the test gate was not admitted');
    await gate.settle(answer.ticket, { kind: 'rate_limited', retryAfterMs: 120_000 });
    const requestsBefore = rig.mock.stats().requestsTotal;
    const callsBefore = await callsToday();

    const checked = await rig.cli(['check', '--uscc', company.uscc]);
    expect(checked.code).toBe(1);
    // The wait left of the two minutes: less the time this CLI took to start on a busy machine.
    const left = /rate-limited the check; nothing was recorded \(retry after (\d+) s\)/.exec(checked.stderr);
    expect(left, checked.stderr).not.toBeNull();
    expect(Number(left?.[1])).toBeGreaterThan(60);
    expect(Number(left?.[1])).toBeLessThanOrEqual(120);
    expect(rig.mock.stats().requestsTotal).toBe(requestsBefore);
    expect(await callsToday()).toBe(callsBefore);
  });

  it('without Redis it still checks, and says it was neither paced nor counted', { timeout: 30_000 }, async () => {
    const checked = await rig.cli(['check', '--uscc', company.uscc], { REDIS_URL: 'redis://127.0.0.1:1', LOG_LEVEL: 'info' });
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stderr).toContain('neither paced with the workers nor counted');
  });
});
