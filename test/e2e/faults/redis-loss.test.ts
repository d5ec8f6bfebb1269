/**
 * Fault 2: Redis loses its data under a running worker (the built CLI): first redis-server is
 * killed (-9, no persistence) and restarted mid-sweep, then FLUSHALL while webhook retries wait in
 * Redis. No event is lost or doubled, and schedules come back without restarting the worker
 * (DESIGN "Recovery bound": two minutes; here, with 1 s maintenance rounds, within seconds).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCompany, testEntries, testState } from '../../helpers/mock-provider-fixtures.js';
import {
  assertExactlyOnce,
  customerRows,
  faultSeed,
  importCustomers,
  seededRandom,
  waitForDelivered,
  type Expected,
} from '../../helpers/fault-oracle.js';
import { startFaultRig, type FaultRig } from '../../helpers/fault-rig.js';
import { pollUntil } from '../../helpers/poll-until.js';
import { validUscc } from '../../helpers/valid-uscc.js';

const COUNT = 10;
const listedAtStart = (n: number): boolean => n % 3 === 0;
const companies = Array.from({ length: COUNT }, (_, n) =>
  testCompany(800 + n, listedAtStart(n) ? { seriousViolations: testEntries(1, `SV${n}`) } : {}));
const RECOVERY_BOUND_MS = 120_000;

describe('Redis data loss under a running worker', () => {
  let rig: FaultRig;
  const seed = faultSeed('redis-loss', 8_000_001);
  const random = seededRandom(seed);

  beforeAll(async () => {
    rig = await startFaultRig({ state: testState(...companies), env: { CM_SCAN_INTERVAL: '2s', CM_PROVIDER_RATE: '15' } });
    await importCustomers(rig, companies);
  });
  afterAll(async () => {
    await rig.cleanup();
  });

  /** Adds one abnormal-operations entry to a seeded random half of the customers; returns what it expects. */
  async function changeSome(round: number): Promise<Expected[]> {
    const expected: Expected[] = [];
    for (let n = 0; n < COUNT; n++) {
      if (random() < 0.5 && expected.length > 0) continue;
      const uscc = validUscc(800 + n);
      const listedOn = `2026-${String(round + 6).padStart(2, '0')}-${String(n + 1).padStart(2, '0')}`;
      await rig.control.addEntry(uscc, 'abnormal-operations', {
        id: `R${round}-${n}`, listedOn, reason: '公示企业信息隐瞒真实情况、弄虚作假的', authority: '深圳市市场监督管理局',
      });
      expected.push({ uscc, type: 'abnormal_operations.listed', listedOn });
    }
    return expected;
  }

  /** Waits for the provider to answer a seeded random number of requests more (within one sweep). */
  async function randomMoment(): Promise<number> {
    const after = 1 + Math.floor(random() * COUNT * 3);
    const start = rig.mock.stats().requestsTotal;
    await pollUntil(() => rig.mock.stats().requestsTotal >= start + after, { timeoutMs: 30_000, intervalMs: 5, what: `${after} request(s)` });
    return after;
  }

  /** Time until every customer has been checked again after `since`: the schedule is back. */
  async function scheduleBack(since: number): Promise<number> {
    await pollUntil(async () => (await customerRows(rig)).every((c) => (c.last_checked_at ?? 0) > since), {
      timeoutMs: RECOVERY_BOUND_MS,
      intervalMs: 100,
      what: 'every customer checked again',
    });
    return Date.now() - since;
  }

  it('loses and doubles nothing through a redis-server crash and a FLUSHALL', { timeout: 150_000 }, async () => {
    const expected: Expected[] = companies.flatMap((c, n) =>
      listedAtStart(n) ? [{ uscc: c.uscc, type: 'serious_violation.listed', listedOn: '2025-01-15', baseline: true }] : []);
    const worker = rig.spawnWorker();
    await waitForDelivered(rig, expected.length, 30_000);
    await pollUntil(async () => (await customerRows(rig)).every((c) => c.last_checked_at !== null), { timeoutMs: 30_000, what: 'baseline' });

    // 1. redis-server killed (-9, no AOF: everything lost) and restarted mid-sweep.
    expected.push(...(await changeSome(1)));
    const killedAfter = await randomMoment();
    await rig.redis.kill();
    const crashedAt = Date.now();
    await rig.redis.restart();
    const crashRecoveryMs = await scheduleBack(crashedAt);
    await waitForDelivered(rig, expected.length, 30_000);

    // 2. FLUSHALL while webhook retries wait in Redis (the receiver fails the next attempts).
    rig.receiver.script(...Array.from({ length: 4 }, () => ({ status: 500 })));
    const receivedBefore = rig.receiver.received.length;
    expected.push(...(await changeSome(2)));
    await pollUntil(() => rig.receiver.received.length >= receivedBefore + 2, { timeoutMs: 30_000, what: 'two failed webhook attempts' });
    await rig.redis.flushAll();
    const flushedAt = Date.now();
    const flushRecoveryMs = await scheduleBack(flushedAt);
    await waitForDelivered(rig, expected.length, 30_000);

    expect(worker.running(), worker.stderr()).toBe(true);
    worker.child.kill('SIGTERM');
    expect(await worker.exited, worker.stderr()).toEqual({ code: 0, signal: null });
    const report = await assertExactlyOnce(rig, expected);
    process.stderr.write(`[redis-loss] ${JSON.stringify({ seed, killedAfter, crashRecoveryMs, flushRecoveryMs, expected: expected.length, ...report })}\n`);
  });
});
