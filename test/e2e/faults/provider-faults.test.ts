/**
 * Fault 3, "no false alarms, ever": the mock provider fails about 40% of calls (seeded), with every
 * kind of failure it can inject, across several full sweeps while nothing changes at the provider.
 * After the baseline, the only events allowed are monitoring.degraded / monitoring.recovered, and
 * they alternate per customer (degraded first, recovered last once the faults stop).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCompany, testEntries, testState } from '../../helpers/mock-provider-fixtures.js';
import type { FaultRequest } from '../../helpers/mock-provider-control.js';
import {
  assertExactlyOnce,
  customerRows,
  faultSeed,
  importCustomers,
  storedEvents,
  waitForDelivered,
  type Expected,
} from '../../helpers/fault-oracle.js';
import { startFaultRig, type FaultRig } from '../../helpers/fault-rig.js';
import { pollUntil } from '../../helpers/poll-until.js';

const removedEntry = { ...testEntries(2, 'AOR')[1]!, removedOn: '2025-03-01', removalReason: '已补报' };
const companies = [
  testCompany(900),
  testCompany(901, { abnormalOperations: testEntries(1, 'AO901') }),
  testCompany(902, { seriousViolations: testEntries(1, 'SV902'), abnormalOperations: testEntries(2, 'AO902') }),
  testCompany(903, { status: '吊销，未注销' }),
  testCompany(904, { abnormalOperations: [testEntries(1, 'AOR')[0]!, removedEntry] }),
  // Two pages (page size 20): paging faults (truncated, a total that changes) hit a list mid-way.
  testCompany(905, { abnormalOperations: testEntries(25, 'AO905') }),
  testCompany(906, { regCapital: '1000.000000万元人民币', establishedOn: '2015年6月1日' }),
  testCompany(907),
];

/** Every kind the mock injects that is a failure of one call (see docs/mock-provider.md, "Faults"). */
const FAULTS: FaultRequest[] = [
  // First and three times as likely: it matches registration calls only (a third of them).
  { kind: 'foreign', section: 'registration' },
  { kind: '5xx' },
  { kind: '5xx', httpStatus: 502 },
  { kind: 'rate_limit' },
  { kind: 'rate_limit', retryAfterSeconds: 1 },
  { kind: 'rate_limit', httpStatus: 200 },
  { kind: 'timeout' },
  { kind: 'reset' },
  { kind: 'malformed' },
  { kind: 'truncated' },
  { kind: 'truncated', framing: 'chunked' },
  { kind: 'bad_schema' },
  { kind: 'html' },
  { kind: 'html', httpStatus: 500 },
  { kind: 'redirect' },
  { kind: 'oversize', bytes: 300_000 },
  { kind: 'latency', latencyMs: 300 },
];
/** Per-fault probability so that about 40% of calls get one of them: 1 − (1 − p)^n = 0.4. */
const PER_FAULT = 1 - Math.pow(0.6, 1 / FAULTS.length);
const SWEEPS = 8;

describe('provider faults on 40% of calls, nothing changing at the provider', () => {
  let rig: FaultRig;
  const seed = faultSeed('provider-faults', 4040);

  beforeAll(async () => {
    rig = await startFaultRig({
      state: testState(...companies),
      env: { CM_SCAN_INTERVAL: '1s', CM_PROVIDER_RATE: '50' },
      // Short client timeout so that `timeout` faults cost 1.5 s, and a body cap the `oversize` fault exceeds.
      policy: { provider: { timeoutMs: 1500, maxBodyBytes: 262_144 } },
    });
    await importCustomers(rig, companies);
  });
  afterAll(async () => {
    await rig.cleanup();
  });

  it('raises no event but degraded/recovered through several faulty sweeps', { timeout: 150_000 }, async () => {
    const baseline: Expected[] = [
      { uscc: companies[1]!.uscc, type: 'abnormal_operations.listed', listedOn: '2025-01-15', baseline: true },
      { uscc: companies[2]!.uscc, type: 'serious_violation.listed', listedOn: '2025-01-15', baseline: true },
      { uscc: companies[2]!.uscc, type: 'abnormal_operations.listed', listedOn: '2025-01-15', baseline: true },
      { uscc: companies[2]!.uscc, type: 'abnormal_operations.listed', listedOn: '2025-02-15', baseline: true },
      { uscc: companies[3]!.uscc, type: 'registration.status_changed', baseline: true },
      { uscc: companies[4]!.uscc, type: 'abnormal_operations.listed', listedOn: '2025-01-15', baseline: true },
      ...testEntries(25).map((e) => ({ uscc: companies[5]!.uscc, type: 'abnormal_operations.listed', listedOn: e.listedOn as string, baseline: true })),
    ];
    const worker = rig.spawnWorker();
    await waitForDelivered(rig, baseline.length, 30_000);
    await pollUntil(async () => (await customerRows(rig)).every((c) => c.last_checked_at !== null), { timeoutMs: 30_000, what: 'baseline' });

    for (const [i, fault] of FAULTS.entries()) {
      await rig.control.addFault({ ...fault, probability: fault.kind === 'foreign' ? 3 * PER_FAULT : PER_FAULT, seed: seed + i });
    }
    const startCounts = { ...rig.mock.stats().byUscc };
    const startTotal = rig.mock.stats().requestsTotal;
    // Several full sweeps (every customer asked for every section at least SWEEPS more times), and
    // on until every kind has fired at least once.
    const kinds = [...new Set(FAULTS.map((f) => f.kind))].sort();
    await pollUntil(
      () => {
        const now = rig.mock.stats();
        return companies.every((c) => (now.byUscc[c.uscc] ?? 0) - (startCounts[c.uscc] ?? 0) >= SWEEPS * 3)
          && kinds.every((kind) => (now.faultsInjected[kind] ?? 0) > 0);
      },
      { timeoutMs: 90_000, intervalMs: 100, what: `${SWEEPS} faulty sweeps with every fault kind` },
    );
    const stats = rig.mock.stats();
    const faulted = Object.values(stats.faultsInjected).reduce((a, b) => a + b, 0);
    await rig.control.clearFaults();

    // Faults gone: every customer recovers; every degraded has its recovered.
    await pollUntil(
      async () => {
        if (!(await customerRows(rig)).every((c) => c.consecutive_failures === 0)) return false;
        const events = await storedEvents(rig);
        return companies.every((c) => {
          const mine = events.filter((e) => e.customer.uscc === c.uscc && e.type.startsWith('monitoring.'));
          return mine.length === 0 || mine.at(-1)?.type === 'monitoring.recovered';
        });
      },
      { timeoutMs: 30_000, intervalMs: 250, what: 'every customer recovered' },
    );
    const events = await storedEvents(rig);
    // (case.opened: the cases the baseline listings opened)
    const monitoring = events.filter((e) => !e.baseline && !e.type.startsWith('case.'));
    // Alternation per customer: degraded, recovered, degraded, recovered …
    for (const c of companies) {
      const types = monitoring.filter((e) => e.customer.uscc === c.uscc).map((e) => e.type);
      expect(types, c.uscc).toEqual(types.map((_, i) => (i % 2 === 0 ? 'monitoring.degraded' : 'monitoring.recovered')));
    }
    const expected = [...baseline, ...monitoring.map((e) => ({ uscc: e.customer.uscc, type: e.type }))];
    expect(monitoring.every((e) => e.type === 'monitoring.degraded' || e.type === 'monitoring.recovered')).toBe(true);
    await waitForDelivered(rig, expected.length, 30_000);

    worker.child.kill('SIGTERM');
    expect(await worker.exited, worker.stderr()).toEqual({ code: 0, signal: null });
    const report = await assertExactlyOnce(rig, expected);
    // Every fault kind fired at least once.
    expect(Object.keys(stats.faultsInjected).sort()).toEqual(kinds);
    const requests = stats.requestsTotal - startTotal;
    process.stderr.write(
      `[provider-faults] ${JSON.stringify({
        seed, perFault: Number(PER_FAULT.toFixed(4)), requests, faulted, faultShare: Number((faulted / requests).toFixed(3)),
        faultsInjected: stats.faultsInjected, degraded: monitoring.filter((e) => e.type === 'monitoring.degraded').length, ...report,
      })}\n`,
    );
  });
});
