/**
 * Fault 7: a `rescan --all` asked through the CLI is in flight when redis-server is killed (-9, no
 * persistence) and restarted empty. The re-scan is durable (DESIGN "Manual re-scans are durable"):
 * the worker rebuilds it from the store without a restart, within the recovery bound, so every
 * customer is checked after the request; those already checked before the crash are not checked
 * again, and every change the re-scan finds is stored and delivered exactly once. On both stores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCompany, testEntries, testState } from '../../helpers/mock-provider-fixtures.js';
import { assertExactlyOnce, countOf, customerRows, importCustomers, waitForDelivered, type Expected } from '../../helpers/fault-oracle.js';
import { startFaultRig, type FaultRig } from '../../helpers/fault-rig.js';
import { pollUntil } from '../../helpers/poll-until.js';
import { STORE_DIALECTS } from '../../helpers/test-stores.js';
import { validUscc } from '../../helpers/valid-uscc.js';

const COUNT = 15;
const listedAtStart = (n: number): boolean => n % 5 === 0;
const companies = Array.from({ length: COUNT }, (_, n) =>
  testCompany(870 + n, listedAtStart(n) ? { seriousViolations: testEntries(1, `SV${n}`) } : {}));
const RECOVERY_BOUND_MS = 120_000;

describe.each(STORE_DIALECTS)('Redis data loss while a rescan --all is in flight (%s)', (dialect) => {
  let rig: FaultRig;

  beforeAll(async () => {
    // 6 requests a second, 3 per check: the whole re-scan takes about 7 s, so the crash lands mid-way.
    // A 24 h interval: no scheduled check can stand in for the re-scan.
    rig = await startFaultRig({ dialect, state: testState(...companies), env: { CM_SCAN_INTERVAL: '24h', CM_PROVIDER_RATE: '6' } });
    await importCustomers(rig, companies);
  });
  afterAll(async () => {
    await rig.cleanup();
  });

  const checkedSince = async (since: number) => (await customerRows(rig)).filter((c) => (c.last_checked_at ?? 0) >= since);

  it('checks every customer after the request, none of the finished ones twice', { timeout: 200_000 }, async () => {
    const expected: Expected[] = companies.flatMap((c, n) =>
      listedAtStart(n) ? [{ uscc: c.uscc, type: 'serious_violation.listed', listedOn: '2025-01-15', baseline: true }] : []);
    const worker = rig.spawnWorker();
    await pollUntil(async () => (await customerRows(rig)).every((c) => c.last_checked_at !== null), { timeoutMs: 30_000, what: 'baseline' });
    await waitForDelivered(rig, expected.length, 30_000);

    // Every customer gets a new entry that only a re-scan can find before tomorrow.
    for (let n = 0; n < COUNT; n++) {
      const listedOn = `2026-10-${String(n + 1).padStart(2, '0')}`;
      await rig.control.addEntry(validUscc(870 + n), 'abnormal-operations', {
        id: `RS-${n}`, listedOn, reason: '公示企业信息隐瞒真实情况、弄虚作假的', authority: '深圳市市场监督管理局',
      });
      expected.push({ uscc: validUscc(870 + n), type: 'abnormal_operations.listed', listedOn });
    }

    const requestedAt = Date.now();
    const rescan = await rig.cli(['rescan', '--all']);
    expect(rescan.code, rescan.stderr).toBe(0);
    await pollUntil(async () => (await checkedSince(requestedAt)).length >= 4, { timeoutMs: 30_000, intervalMs: 5, what: 'a third of the re-scan' });

    await rig.redis.kill();
    const crashedAt = Date.now();
    const finished = new Map((await checkedSince(requestedAt)).map((c) => [c.uscc, c.last_checked_at]));
    expect(finished.size, 'the crash lands while the re-scan is in flight').toBeLessThan(COUNT);
    await rig.redis.restart();

    await pollUntil(async () => (await checkedSince(requestedAt)).length === COUNT, {
      timeoutMs: RECOVERY_BOUND_MS,
      intervalMs: 100,
      what: 'every customer checked after the re-scan was asked',
    });
    const recoveryMs = Date.now() - crashedAt;
    await waitForDelivered(rig, expected.length, 30_000);

    // Finished before the crash: not checked again (no scheduled check is due within 24 h).
    const after = new Map((await customerRows(rig)).map((c) => [c.uscc, c.last_checked_at]));
    for (const [uscc, at] of finished) expect(after.get(uscc), `${uscc} checked again`).toBe(at);
    // The request is cleared once every customer it covers has been checked.
    await pollUntil(async () => (await countOf(rig, 'select count(*) as n from rescan_requests')) === 0, {
      timeoutMs: 10_000,
      what: 'the re-scan request cleared',
    });

    expect(worker.running(), worker.stderr()).toBe(true);
    worker.child.kill('SIGTERM');
    expect(await worker.exited, worker.stderr()).toEqual({ code: 0, signal: null });
    const report = await assertExactlyOnce(rig, expected);
    process.stderr.write(`[rescan-redis-loss] ${JSON.stringify({ dialect, finishedBeforeCrash: finished.size, recoveryMs, ...report })}\n`);
  });
});
