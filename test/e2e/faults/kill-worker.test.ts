/**
 * Fault 1: `kill -9` of the built CLI's worker at seeded random moments of sweeps with pending
 * changes, three times, with a restart each time. Every expected transition ends up in the store
 * once and at the webhook receiver under one webhook-id (a resend after a lost 2xx is allowed),
 * grade changes included. On both stores.
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
import { SHIPPED_POLICY, startFaultRig, type FaultRig, type WorkerProcess } from '../../helpers/fault-rig.js';
import { pollUntil } from '../../helpers/poll-until.js';
import { STORE_DIALECTS } from '../../helpers/test-stores.js';
import { validUscc } from '../../helpers/valid-uscc.js';

const COUNT = 12;
const SECTIONS = 3;
const listedAtStart = (n: number): boolean => n % 4 === 0;
const companies = Array.from({ length: COUNT }, (_, n) =>
  testCompany(700 + n, listedAtStart(n) ? { abnormalOperations: testEntries(1, `AO${n}`) } : {}));

describe.each(STORE_DIALECTS)('kill -9 of the worker mid-sweep (%s)', (dialect) => {
  let rig: FaultRig;
  const seed = faultSeed('kill-worker', 20261127);
  const random = seededRandom(seed);

  beforeAll(async () => {
    // Due again 2 s after each check; ticks every second (FAST_WORKER_ARGS): sweeps repeat.
    // A slow provider (rate 15/s) keeps a sweep in flight long enough to be killed in the middle.
    // The shipped grading rules, so grade changes are delivered exactly once across the kills too;
    // every grade on the 2 s interval (no schedule.byGrade), so risk customers are swept as often.
    rig = await startFaultRig({
      dialect,
      state: testState(...companies),
      env: { CM_SCAN_INTERVAL: '2s', CM_PROVIDER_RATE: '15' },
      grading: 'shipped',
      policy: { ...SHIPPED_POLICY, schedule: { byGrade: {} } },
    });
    await importCustomers(rig, companies);
  });
  afterAll(async () => {
    await rig.cleanup();
  });

  /** SIGKILL once the provider has answered a seeded random number of requests more (1 … one sweep). */
  async function killAtRandomMoment(worker: WorkerProcess, label: string): Promise<void> {
    const after = 1 + Math.floor(random() * COUNT * SECTIONS);
    const start = rig.mock.stats().requestsTotal;
    await pollUntil(() => rig.mock.stats().requestsTotal >= start + after || !worker.running(), {
      timeoutMs: 30_000,
      intervalMs: 5,
      what: `${label}: ${after} provider request(s)`,
    });
    expect(worker.running(), worker.stderr()).toBe(true);
    worker.child.kill('SIGKILL');
    const exit = await worker.exited;
    expect(exit.signal).toBe('SIGKILL');
    process.stderr.write(`[kill-worker] ${label}: killed after ${after} request(s)\n`);
  }

  const nextEntry = (n: number, round: number) => ({
    id: `NEW-${round}-${n}`,
    // Distinct dates per round and customer: the oracle keys list events by customer and listing date.
    listedOn: `2026-${String(round + 8).padStart(2, '0')}-${String(n + 1).padStart(2, '0')}`,
    reason: '通过登记的住所或者经营场所无法联系的',
    authority: '深圳市市场监督管理局',
  });

  it('delivers every expected transition exactly once across three kills', { timeout: 150_000 }, async () => {
    const expected: Expected[] = companies.flatMap((c, n) =>
      listedAtStart(n) ? [{ uscc: c.uscc, type: 'abnormal_operations.listed', listedOn: '2025-01-15', baseline: true }] : []);
    // Grades, with no figures: risk while any entry is in force, else fair. A first grade of risk is
    // told (baseline); a first grade of fair is not.
    const inForce: number[] = companies.map((_, n) => (listedAtStart(n) ? 1 : 0));
    const grade = (n: number, change: number): void => {
      const before = inForce[n] ?? 0;
      const after = before + change;
      inForce[n] = after;
      if (before > 0 !== after > 0) expected.push({ uscc: validUscc(700 + n), type: 'grade.changed' });
    };
    for (const [n, c] of companies.entries()) if (listedAtStart(n)) expected.push({ uscc: c.uscc, type: 'grade.changed', baseline: true });

    // Kill 1: during the baseline sweep.
    await killAtRandomMoment(rig.spawnWorker(), 'kill 1 (baseline sweep)');

    // Restart; once every customer has its baseline, changes arrive while this worker sweeps.
    const second = rig.spawnWorker();
    await pollUntil(async () => (await customerRows(rig)).every((c) => c.last_checked_at !== null), {
      timeoutMs: 40_000,
      intervalMs: 100,
      what: 'every customer baselined after kill 1',
    }).catch(async (error: unknown) => {
      // Diagnostics for a replay: queue counts and the restarted worker's warnings.
      const status = await rig.cli(['status', '--json']);
      process.stderr.write(`[kill-worker] status: ${status.stdout}\nworker stderr: ${second.stderr()}\n`);
      throw error;
    });
    for (let n = 0; n < COUNT; n++) {
      if (random() < 0.5) continue;
      const entry = nextEntry(n, 1);
      await rig.control.addEntry(validUscc(700 + n), 'abnormal-operations', entry);
      expected.push({ uscc: validUscc(700 + n), type: 'abnormal_operations.listed', listedOn: entry.listedOn });
      grade(n, 1);
    }
    // Kill 2: during the sweeps that pick those changes up.
    await killAtRandomMoment(second, 'kill 2 (sweep with pending changes)');

    // While no worker runs: removals of the baseline entries and a serious violation per odd customer.
    for (let n = 0; n < COUNT; n++) {
      const uscc = validUscc(700 + n);
      if (listedAtStart(n)) {
        await rig.control.patchEntry(uscc, 'abnormal-operations', `AO${n}-1`, { removedOn: '2026-11-20', removalReason: '已补报年度报告' });
        expected.push({ uscc, type: 'abnormal_operations.removed', listedOn: '2025-01-15' });
        grade(n, -1);
      } else if (random() < 0.4) {
        const entry = nextEntry(n, 2);
        await rig.control.addEntry(uscc, 'serious-violations', entry);
        expected.push({ uscc, type: 'serious_violation.listed', listedOn: entry.listedOn });
        grade(n, 1);
      }
    }
    // Kill 3: during the sweep right after the restart.
    await killAtRandomMoment(rig.spawnWorker(), 'kill 3 (sweep after restart)');

    // Final restart: the stalled jobs run again, the outbox drains.
    const last = rig.spawnWorker();
    await waitForDelivered(rig, expected.length, 60_000);
    // Two more full sweeps of every customer with nothing new: no event appears twice.
    const checkedAt = Math.max(...(await customerRows(rig)).map((c) => c.last_checked_at ?? 0));
    await pollUntil(async () => (await customerRows(rig)).every((c) => (c.last_checked_at ?? 0) > checkedAt + 2_000), {
      timeoutMs: 30_000,
      intervalMs: 100,
      what: 'two more sweeps',
    });
    last.child.kill('SIGTERM');
    expect(await last.exited, last.stderr()).toEqual({ code: 0, signal: null });

    const report = await assertExactlyOnce(rig, expected, { allowResendAfterAccepted: true });
    process.stderr.write(`[kill-worker] ${JSON.stringify({ dialect, seed, expected: expected.length, ...report })}\n`);
  });
});
