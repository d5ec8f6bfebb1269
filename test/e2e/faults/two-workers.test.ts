/**
 * Fault 6: two worker processes (the built CLI) on one Redis, one queue prefix and one store (a
 * SQLite file, or one PostgreSQL database), both ticking every second. Each customer is asked once
 * per section per sweep — the baseline sweep and a `rescan --all` — and no event is recorded or
 * delivered twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCompany, testEntries, testState } from '../../helpers/mock-provider-fixtures.js';
import { assertExactlyOnce, customerRows, importCustomers, waitForDelivered, type Expected } from '../../helpers/fault-oracle.js';
import { startFaultRig, type FaultRig } from '../../helpers/fault-rig.js';
import { pollUntil } from '../../helpers/poll-until.js';
import { STORE_DIALECTS } from '../../helpers/test-stores.js';
import { validUscc } from '../../helpers/valid-uscc.js';

const COUNT = 16;
const SECTIONS = 3;
const listedAtStart = (n: number): boolean => n % 4 === 1;
const companies = Array.from({ length: COUNT }, (_, n) =>
  testCompany(200 + n, listedAtStart(n) ? { abnormalOperations: testEntries(1, `AO${n}`) } : {}));

describe.each(STORE_DIALECTS)('two workers on one Redis and one store (%s)', (dialect) => {
  let rig: FaultRig;

  beforeAll(async () => {
    rig = await startFaultRig({ dialect, state: testState(...companies) });
    await importCustomers(rig, companies);
  });
  afterAll(async () => {
    await rig.cleanup();
  });

  const perCustomer = (): number[] => companies.map((c) => rig.mock.stats().byUscc[c.uscc] ?? 0);
  const lastSweepAt = async (): Promise<number> => {
    const status = await rig.cli(['status', '--json']);
    const at = (JSON.parse(status.stdout) as { lastSweepAt: string | null }).lastSweepAt;
    return at === null ? 0 : Date.parse(at);
  };
  /** Waits for two more sweep ticks, so that a double enqueue by either process would show. */
  async function twoMoreTicks(): Promise<void> {
    const before = await lastSweepAt();
    await pollUntil(async () => (await lastSweepAt()) > before + 1_500, { timeoutMs: 15_000, intervalMs: 250, what: 'two more ticks' });
    await pollUntil(() => rig.mock.stats().inFlight === 0, { what: 'no provider request in flight' });
  }

  it('does no work twice and records no event twice', { timeout: 120_000 }, async () => {
    const expected: Expected[] = companies.flatMap((c, n) =>
      listedAtStart(n) ? [{ uscc: c.uscc, type: 'abnormal_operations.listed', listedOn: '2025-01-15', baseline: true }] : []);
    const workers = [rig.spawnWorker({ args: ['--concurrency', '4', '--sweep-every', '1s', '--maintenance-every', '1s'] }),
      rig.spawnWorker({ args: ['--concurrency', '4', '--sweep-every', '1s', '--maintenance-every', '1s'] })];

    await pollUntil(async () => (await customerRows(rig)).every((c) => c.last_checked_at !== null), { timeoutMs: 30_000, intervalMs: 100, what: 'baseline' });
    await waitForDelivered(rig, expected.length, 30_000);
    await twoMoreTicks();
    expect(perCustomer(), 'one request per section per customer in the baseline sweep').toEqual(companies.map(() => SECTIONS));

    for (let n = 0; n < COUNT; n += 2) {
      const listedOn = `2026-09-${String(n + 1).padStart(2, '0')}`;
      await rig.control.addEntry(validUscc(200 + n), 'serious-violations', {
        id: `SV-${n}`, listedOn, reason: '提交虚假材料取得公司登记', authority: '深圳市市场监督管理局',
      });
      expected.push({ uscc: validUscc(200 + n), type: 'serious_violation.listed', listedOn });
    }
    const rescan = await rig.cli(['rescan', '--all']);
    expect(rescan.code, rescan.stderr).toBe(0);
    await waitForDelivered(rig, expected.length, 30_000);
    await pollUntil(() => perCustomer().every((n) => n >= 2 * SECTIONS), { timeoutMs: 30_000, what: 'the rescan done' });
    await twoMoreTicks();
    expect(perCustomer(), 'one request per section per customer in the rescan').toEqual(companies.map(() => 2 * SECTIONS));

    for (const w of workers) w.child.kill('SIGTERM');
    for (const w of workers) expect(await w.exited, w.stderr()).toEqual({ code: 0, signal: null });
    const report = await assertExactlyOnce(rig, expected);
    process.stderr.write(`[two-workers] ${JSON.stringify({ dialect, expected: expected.length, requests: rig.mock.stats().requestsTotal, ...report })}\n`);
  });
});
