/**
 * Fault 5: SIGTERM to the built CLI's worker during a sweep — once while checks are in flight, once
 * while changes are pending and a webhook delivery hangs past CM_SHUTDOWN_GRACE. Each time it exits
 * 0 within the grace (plus closing), and the restarted worker finishes: nothing lost or doubled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCompany, testEntries, testState } from '../../helpers/mock-provider-fixtures.js';
import { assertExactlyOnce, customerRows, importCustomers, waitForDelivered, type Expected } from '../../helpers/fault-oracle.js';
import { startFaultRig, type FaultRig, type WorkerProcess } from '../../helpers/fault-rig.js';
import { pollUntil } from '../../helpers/poll-until.js';
import { validUscc } from '../../helpers/valid-uscc.js';

const COUNT = 12;
const GRACE_MS = 3_000;
const listedAtStart = (n: number): boolean => n % 3 === 0;
const companies = Array.from({ length: COUNT }, (_, n) =>
  testCompany(300 + n, listedAtStart(n) ? { abnormalOperations: testEntries(1, `AO${n}`) } : {}));

describe('SIGTERM during a sweep', () => {
  let rig: FaultRig;

  beforeAll(async () => {
    rig = await startFaultRig({
      state: testState(...companies),
      env: { CM_SCAN_INTERVAL: '2s', CM_SHUTDOWN_GRACE: `${GRACE_MS / 1000}s` },
    });
    await importCustomers(rig, companies);
  });
  afterAll(async () => {
    await rig.cleanup();
  });

  async function terminate(worker: WorkerProcess): Promise<number> {
    const at = performance.now();
    worker.child.kill('SIGTERM');
    expect(await worker.exited, worker.stderr()).toEqual({ code: 0, signal: null });
    const tookMs = performance.now() - at;
    // The grace, then a bounded forced close (BullMQ, Redis, SQLite): well under the CLI's backstop.
    expect(tookMs).toBeLessThan(GRACE_MS + 6_000);
    return Math.round(tookMs);
  }

  it('exits 0 mid-sweep, and the restart loses and doubles nothing', { timeout: 120_000 }, async () => {
    const expected: Expected[] = companies.flatMap((c, n) =>
      listedAtStart(n) ? [{ uscc: c.uscc, type: 'abnormal_operations.listed', listedOn: '2025-01-15', baseline: true }] : []);
    // Slow answers, so that checks are in flight when the signal comes.
    await rig.control.addFault({ kind: 'latency', latencyMs: 500 });
    const first = rig.spawnWorker();
    await pollUntil(() => rig.mock.stats().inFlight > 0, {
      timeoutMs: 20_000,
      intervalMs: 10,
      what: 'a sweep under way',
    });
    const firstStopMs = await terminate(first);
    const checkedAtStop = (await customerRows(rig)).filter((c) => c.last_checked_at !== null).length;
    expect(checkedAtStop, 'the signal came mid-sweep').toBeLessThan(COUNT);

    const second = rig.spawnWorker();
    await pollUntil(async () => (await customerRows(rig)).every((c) => c.last_checked_at !== null), { timeoutMs: 30_000, intervalMs: 100, what: 'baseline' });
    await waitForDelivered(rig, expected.length, 30_000);
    // Changes pending, and the next webhook attempt hangs beyond the grace.
    rig.receiver.script({ hang: true });
    for (let n = 1; n < COUNT; n += 3) {
      const listedOn = `2026-10-${String(n + 10).padStart(2, '0')}`;
      await rig.control.addEntry(validUscc(300 + n), 'serious-violations', {
        id: `SV-${n}`, listedOn, reason: '提交虚假材料取得公司登记', authority: '深圳市市场监督管理局',
      });
      expected.push({ uscc: validUscc(300 + n), type: 'serious_violation.listed', listedOn });
    }
    await pollUntil(() => rig.receiver.received.some((r) => r.answer === 'hang'), { timeoutMs: 30_000, what: 'a webhook attempt hanging' });
    const secondStopMs = await terminate(second);

    await rig.control.clearFaults();
    const third = rig.spawnWorker();
    await waitForDelivered(rig, expected.length, 40_000);
    const thirdStopMs = await terminate(third);

    const report = await assertExactlyOnce(rig, expected);
    process.stderr.write(`[sigterm] ${JSON.stringify({ firstStopMs, checkedAtStop, secondStopMs, thirdStopMs, expected: expected.length, ...report })}\n`);
  });
});
