/**
 * Several hosts, tested as such (issue 11 point 5): three `credit-monitor worker` processes (the
 * built CLI), each on a host of its own (a network namespace), sharing one PostgreSQL and one Redis
 * on two more hosts; the mock provider, the webhook receiver and the SMTP sink run in this process,
 * on the same switch. Four sweeps in a row:
 *   1. the baseline: every customer checked exactly once, by the three workers together;
 *   2. a `rescan --all` during which one worker is killed (-9): nothing lost, the other two finish;
 *   3. a `rescan --all` during which one worker is cut off for 30 s: the other two finish meanwhile,
 *      nothing is lost, and the cut worker comes back (or exits and is replaced);
 *   4. a `rescan --all` after the faults: exactly once per customer again, with all three working.
 * Every expected event is stored once and delivered under one webhook-id (a resend after a 2xx the
 * kill or the cut swallowed is allowed, DESIGN "Webhook retries", and counted in the figures).
 * Without namespaces (not root) it says so loudly and runs the same on 127.0.0.1 (host-placement.ts).
 * The figures line (`[multi-host] {...}`) is for the closing note.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCompany, testEntries, testState } from '../../helpers/mock-provider-fixtures.js';
import { assertExactlyOnce, countOf, importCustomers, waitForDelivered, type Expected } from '../../helpers/fault-oracle.js';
import { startFaultRig, type FaultRig } from '../../helpers/fault-rig.js';
import { placeHosts, placementPlan, type HostPlacement } from '../../helpers/host-placement.js';
import { pollUntil } from '../../helpers/poll-until.js';
import { validUscc } from '../../helpers/valid-uscc.js';
import { checkedSince, CONCURRENCY, createFleet, twoMoreTicks, type Fleet } from './fleet.js';

const HOSTS = ['w1', 'w2', 'w3'] as const;
const COUNT = 60;
const SECTIONS = 3;
const PARTITION_MS = 30_000;
const FIRST = 1100;
const uscc = (n: number): string => validUscc(FIRST + n);
const listedAtStart = (n: number): boolean => n % 6 === 0;
const companies = Array.from({ length: COUNT }, (_, n) =>
  testCompany(FIRST + n, listedAtStart(n) ? { abnormalOperations: testEntries(1, `AO${n}`) } : {}));

const PLAN = placementPlan();
const WHERE = PLAN.mode === 'netns'
  ? 'each host a network namespace'
  : `FALLBACK, NOT SEPARATE HOSTS: every process on 127.0.0.1 (${PLAN.reason})`;

describe(`three workers on three hosts, one PostgreSQL and one Redis (${WHERE})`, () => {
  let placement: HostPlacement;
  let rig: FaultRig;
  let fleet: Fleet;
  const expected: Expected[] = companies.flatMap((c, n) =>
    listedAtStart(n) ? [{ uscc: c.uscc, type: 'abnormal_operations.listed', listedOn: '2025-01-15', baseline: true }] : []);
  const figures: Record<string, unknown> = { customers: COUNT, workers: HOSTS.length, concurrencyPerWorker: CONCURRENCY };
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    placement = await placeHosts(HOSTS);
    cleanups.push(() => placement.teardown());
    figures.placement = placement.mode;
    if (placement.fallbackReason !== undefined) {
      process.stderr.write(`\n[multi-host] *** NOT A MULTI-HOST RUN: network namespaces unavailable (${placement.fallbackReason}); ` +
        'running the same scenario with every process on 127.0.0.1, the partition made by cutting per-worker TCP proxies ***\n\n');
    }
    // 30 provider requests a second for the whole fleet (the gate is in Redis): a sweep takes ~6 s,
    // long enough to kill or cut a worker in the middle of it. 24 h: only the re-scans check again.
    rig = await startFaultRig({
      dialect: 'postgres',
      postgres: placement.postgres,
      redis: placement.redis,
      listenHost: placement.listenHost,
      state: testState(...companies),
      env: { CM_SCAN_INTERVAL: '24h', CM_PROVIDER_RATE: '30' },
    });
    cleanups.push(() => rig.cleanup());
    fleet = createFleet(rig, placement);
  }, 120_000);
  afterAll(async () => {
    process.stderr.write(`[multi-host] ${JSON.stringify(figures)}\n`);
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const requestsOf = (): number[] => companies.map((c) => rig.mock.stats().byUscc[c.uscc] ?? 0);
  const checksByHost = async (): Promise<Record<string, number>> =>
    Object.fromEntries(await Promise.all(HOSTS.map(async (host) => [host, await fleet.checks(host)] as const)));

  /** Adds a new list entry to every customer `pick` selects; each is expected once. */
  async function addChanges(list: 'abnormal-operations' | 'serious-violations', month: number, pick: (n: number) => boolean): Promise<void> {
    for (let n = 0; n < COUNT; n++) {
      if (!pick(n)) continue;
      const listedOn = `2026-${String(month).padStart(2, '0')}-${String((n % 28) + 1).padStart(2, '0')}`;
      await rig.control.addEntry(uscc(n), list, { id: `${list}-${month}-${n}`, listedOn, reason: '公示企业信息隐瞒真实情况、弄虚作假的', authority: '深圳市市场监督管理局' });
      expected.push({ uscc: uscc(n), type: list === 'abnormal-operations' ? 'abnormal_operations.listed' : 'serious_violation.listed', listedOn });
    }
  }

  /** `rescan --all`; resolves with the time it was asked and the per-customer requests before it. */
  async function rescanAll(): Promise<{ at: number; before: number[] }> {
    const before = requestsOf();
    const at = Date.now();
    const result = await rig.cli(['rescan', '--all']);
    expect(result.code, result.stderr).toBe(0);
    return { at, before };
  }

  async function waitForRequests(count: number, what: string): Promise<void> {
    const start = rig.mock.stats().requestsTotal;
    await pollUntil(() => rig.mock.stats().requestsTotal >= start + count, { timeoutMs: 30_000, intervalMs: 5, what });
  }

  it('sweep 1 (baseline): every customer checked exactly once, by the three workers together', { timeout: 120_000 }, async () => {
    for (const host of HOSTS) fleet.start(host);
    await fleet.allReady(60_000);
    // Imported once all three are up, so that none misses the sweep by starting slowly.
    const startedAt = Date.now();
    await importCustomers(rig, companies);
    await pollUntil(async () => (await checkedSince(rig, 0)) === COUNT, { timeoutMs: 60_000, intervalMs: 100, what: 'the baseline sweep' });
    figures.baselineSweepMs = Date.now() - startedAt;
    await waitForDelivered(rig, expected.length, 30_000);
    await twoMoreTicks(rig);

    expect(requestsOf(), 'one request per section per customer').toEqual(companies.map(() => SECTIONS));
    const checks = await checksByHost();
    figures.baselineChecksByHost = checks;
    expect(Object.values(checks).reduce((a, b) => a + b, 0), 'checks summed over the hosts').toBe(COUNT);
    for (const host of HOSTS) expect(checks[host], `${host} took part`).toBeGreaterThan(0);
  });

  it('sweep 2: kill -9 of one worker mid-sweep loses nothing, and the other two finish the sweep', { timeout: 120_000 }, async () => {
    await addChanges('abnormal-operations', 9, (n) => n % 3 === 0);
    const { at, before } = await rescanAll();
    await waitForRequests((COUNT * SECTIONS) / 3, 'a third of the re-scan');
    const victim = fleet.worker('w2');
    expect(victim.running(), victim.stderr()).toBe(true);
    victim.child.kill('SIGKILL');
    const killedAt = Date.now();
    expect((await victim.exited).signal).toBe('SIGKILL');
    const checkedAtKill = await checkedSince(rig, at);

    await pollUntil(async () => (await checkedSince(rig, at)) === COUNT, { timeoutMs: 60_000, intervalMs: 100, what: 'w1 and w3 finishing the sweep' });
    const finishMs = Date.now() - killedAt;
    await waitForDelivered(rig, expected.length, 60_000);
    await pollUntil(async () => (await countOf(rig, 'select count(*) as n from rescan_requests')) === 0, { timeoutMs: 30_000, what: 'the re-scan request cleared' });
    await twoMoreTicks(rig);
    // Checked again only what the killed worker had in hand (at most its concurrency).
    const redone = requestsOf().map((n, i) => n - (before[i] ?? 0)).filter((n) => n > SECTIONS).length;
    expect(requestsOf().every((n, i) => n - (before[i] ?? 0) >= SECTIONS), 'every customer fully fetched').toBe(true);
    expect(redone).toBeLessThanOrEqual(CONCURRENCY);
    figures.kill = { checkedAtKill, finishAfterKillMs: finishMs, customersFetchedTwice: redone };

    fleet.start('w2');
    await fleet.allReady(60_000);
  });

  it('sweep 3: a 30 s partition of one worker from PostgreSQL and Redis loses nothing; the others carry on; it comes back', { timeout: 240_000 }, async () => {
    await addChanges('serious-violations', 10, (n) => n % 3 === 1);
    const { at } = await rescanAll();
    await waitForRequests((COUNT * SECTIONS) / 3, 'a third of the re-scan');
    await placement.cut('w3');
    const cutAt = Date.now();
    const checkedAtCut = await checkedSince(rig, at);
    expect(checkedAtCut, 'the cut lands mid-sweep').toBeLessThan(COUNT);

    // The others finish the sweep while w3 is still cut off.
    await pollUntil(async () => (await checkedSince(rig, at)) === COUNT, {
      timeoutMs: PARTITION_MS - 2_000,
      intervalMs: 100,
      what: 'w1 and w2 finishing the sweep during the partition',
    });
    const finishMs = Date.now() - cutAt;
    // The partition lasts its 30 s whatever happens meanwhile: this is the fault's length, not a wait for an outcome.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, cutAt + PARTITION_MS - Date.now())));
    await placement.restore('w3');
    const restoredAt = Date.now();

    const cut = fleet.worker('w3');
    await pollUntil(async () => !cut.running() || (await fleet.readyz('w3')) === 200, { timeoutMs: 180_000, intervalMs: 500, what: 'w3 ready again or gone' });
    const outcome = cut.running() ? 'recovered' : `exited (${JSON.stringify(await cut.exited)}), replaced`;
    if (!cut.running()) fleet.start('w3');
    await fleet.allReady(60_000);
    const recoveredMs = Date.now() - restoredAt;
    await waitForDelivered(rig, expected.length, 120_000);
    await pollUntil(async () => (await countOf(rig, 'select count(*) as n from rescan_requests')) === 0, { timeoutMs: 60_000, what: 'the re-scan request cleared' });
    figures.partition = { partitionMs: PARTITION_MS, checkedAtCut, finishAfterCutMs: finishMs, cutWorker: outcome, readyAfterRestoreMs: recoveredMs };
  });

  it('sweep 4 (after the faults): every customer checked exactly once again, with all three hosts working', { timeout: 120_000 }, async () => {
    await twoMoreTicks(rig);
    const checksBefore = await checksByHost();
    await addChanges('abnormal-operations', 11, (n) => n % 3 === 2);
    const { at, before } = await rescanAll();
    await pollUntil(async () => (await checkedSince(rig, at)) === COUNT, { timeoutMs: 60_000, intervalMs: 100, what: 'the last sweep' });
    await waitForDelivered(rig, expected.length, 60_000);
    await twoMoreTicks(rig);
    expect(requestsOf().map((n, i) => n - (before[i] ?? 0)), 'one request per section per customer').toEqual(companies.map(() => SECTIONS));
    const checksAfter = await checksByHost();
    const lastSweep = Object.fromEntries(HOSTS.map((host) => [host, (checksAfter[host] ?? 0) - (checksBefore[host] ?? 0)]));
    figures.lastSweepChecksByHost = lastSweep;
    for (const host of HOSTS) expect(lastSweep[host], `${host} took part`).toBeGreaterThan(0);

    for (const host of HOSTS) fleet.worker(host).child.kill('SIGTERM');
    for (const host of HOSTS) expect(await fleet.worker(host).exited, fleet.worker(host).stderr()).toEqual({ code: 0, signal: null });
    const report = await assertExactlyOnce(rig, expected, { allowResendAfterAccepted: true });
    const events = await countOf(rig, 'select count(*) as n from events');
    Object.assign(figures, {
      expectedEvents: expected.length,
      storedEvents: events,
      duplicateEvents: events - expected.length,
      webhookRequests: report.received,
      distinctDeliveries: report.distinctIds,
      duplicateDeliveries: report.received - report.distinctIds,
      deliveriesAcceptedTwice: report.acceptedTwice.length,
      providerRequests: rig.mock.stats().requestsTotal,
    });
  });
});
