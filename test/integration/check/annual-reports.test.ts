/**
 * The annual reports through checkCustomer: a real SQLite file, the mock provider over HTTP, the
 * real wiring, and an injected clock. One annual-report call per customer a year, from 1 July
 * (Asia/Shanghai); `annual_report.missing` once per customer and year; a call not made or failed
 * never raises anything.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatEventLine } from '../../../src/cli/format-event.js';
import { startMockProviderServer, type MockProviderServer } from '../../../src/providers/mock/server.js';
import { openCheckHarness, type CheckHarness } from '../../helpers/check-harness.js';
import { mockProviderControl, type MockProviderControl } from '../../helpers/mock-provider-control.js';
import { testCompany, testState } from '../../helpers/mock-provider-fixtures.js';

// Established 2015; its 2025 report is not published.
const LATE = testCompany(551, { annualReports: [{ year: 2024, publishedOn: '2025-06-10' }] });
// Filed on time.
const FILED = testCompany(552, { annualReports: [{ year: 2025, publishedOn: '2026-04-02' }, { year: 2024, publishedOn: '2025-05-01' }] });
// Set up this year: owes nothing yet.
const NEW_2026 = testCompany(553, { establishedOn: '2026-02-01' });

let server: MockProviderServer;
let control: MockProviderControl;
let harness: CheckHarness | undefined;
let now = 0;

beforeAll(async () => {
  server = await startMockProviderServer({ state: testState(LATE, FILED, NEW_2026) });
  control = mockProviderControl(server);
});
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await control.reset();
  await control.resetStats();
});
afterAll(async () => {
  await server.close();
});

async function open(...usccs: string[]): Promise<CheckHarness> {
  harness = await openCheckHarness(server.url, {}, { clock: () => now, provider: { sections: { annualReports: true } } });
  for (const uscc of usccs) await harness.store.repos.customers.add({ uscc, name: `客户${uscc.slice(-4)}` });
  return harness;
}

const at = (iso: string): void => {
  now = Date.parse(iso);
};
const annualCalls = async (): Promise<number> => (await control.stats()).byKind.annualReports;
const missingEvents = (h: CheckHarness) => h.eventRows().filter((row) => row.type === 'annual_report.missing');

describe('annual reports through checkCustomer', () => {
  it('reads once after 30 June, raises the missing report once, and a second check that year makes no call and raises nothing', async () => {
    const h = await open(LATE.uscc);
    // 23:30 on 30 June in Shanghai: nothing is late yet, and no call is made.
    at('2026-06-30T15:30:00.000Z');
    const before = await h.check(LATE.uscc);
    expect(await annualCalls()).toBe(0);
    expect(before.skippedSections).toEqual(['annualReports']);
    expect(before.events.map((e) => e.type)).not.toContain('annual_report.missing');

    // 00:10 on 1 July in Shanghai (still 30 June in UTC): the year's read.
    at('2026-06-30T16:10:00.000Z');
    const first = await h.check(LATE.uscc);
    expect(await annualCalls()).toBe(1);
    expect(first.skippedSections).toEqual([]);
    expect(first.failedSections).toEqual([]);
    expect(first.snapshotWritten).toBe(true);
    const raised = first.events.filter((e) => e.type === 'annual_report.missing');
    expect(raised).toMatchObject([{ tier: 'medium', baseline: true, annualReport: { year: 2025 } }]);
    expect(JSON.parse(missingEvents(h)[0]!.payload)).toMatchObject({ annualReport: { year: 2025 } });
    // `events` shows it with its year, in --json and on the terminal.
    const [view] = (await h.store.repos.events.query()).filter((e) => e.type === 'annual_report.missing');
    expect(view).toMatchObject({ tier: 'medium', baseline: true, annualReport: { year: 2025 } });
    expect(formatEventLine(view!)).toContain('annual_report.missing  2025年度报告未公示');

    // Later that year: the stored read stands, no call, nothing raised, nothing rewritten.
    const snapshots = h.snapshotCount();
    at('2026-11-15T02:00:00.000Z');
    const second = await h.check(LATE.uscc);
    expect(await annualCalls()).toBe(1);
    expect(second.skippedSections).toEqual(['annualReports']);
    expect(second.events).toEqual([]);
    expect(second.snapshotWritten).toBe(false);
    expect(h.snapshotCount()).toBe(snapshots);
    expect(missingEvents(h)).toHaveLength(1);
  });

  it('next year reads again and raises the next year’s report with an id of its own', async () => {
    const h = await open(LATE.uscc);
    at('2026-07-02T01:00:00.000Z');
    await h.check(LATE.uscc);
    at('2027-03-01T01:00:00.000Z');
    await h.check(LATE.uscc);
    expect(await annualCalls()).toBe(1);
    at('2027-07-01T01:00:00.000Z');
    const next = await h.check(LATE.uscc);
    expect(await annualCalls()).toBe(2);
    expect(next.events.filter((e) => e.type === 'annual_report.missing')).toMatchObject([{ baseline: false, annualReport: { year: 2026 } }]);
    const ids = missingEvents(h).map((row) => row.id);
    expect(new Set(ids).size).toBe(2);
  });

  it('a failed read raises nothing, counts as a failed section, and is made again at the next check', async () => {
    const h = await open(LATE.uscc);
    await control.addFault({ kind: '5xx', section: 'annual-reports', times: 1 });
    at('2026-07-03T01:00:00.000Z');
    const failed = await h.check(LATE.uscc);
    expect(failed.failedSections.map((f) => f.section)).toEqual(['annualReports']);
    expect(failed.events.map((e) => e.type)).not.toContain('annual_report.missing');
    expect(h.customerRow(LATE.uscc).consecutive_failures).toBe(1);

    at('2026-07-03T01:05:00.000Z');
    const retried = await h.check(LATE.uscc);
    expect(await annualCalls()).toBe(2);
    expect(retried.failedSections).toEqual([]);
    expect(retried.events.filter((e) => e.type === 'annual_report.missing')).toMatchObject([{ baseline: true, annualReport: { year: 2025 } }]);
  });

  it('a company that filed, or one set up this year, raises nothing', async () => {
    const h = await open(FILED.uscc, NEW_2026.uscc);
    at('2026-08-01T01:00:00.000Z');
    const filed = await h.check(FILED.uscc);
    const fresh = await h.check(NEW_2026.uscc);
    expect(await annualCalls()).toBe(2);
    expect([...filed.events, ...fresh.events].map((e) => e.type)).not.toContain('annual_report.missing');
    expect(missingEvents(h)).toEqual([]);
  });

  it('a report published late is seen at the next year’s read, not before: the alert stands as raised', async () => {
    const h = await open(LATE.uscc);
    at('2026-07-02T01:00:00.000Z');
    await h.check(LATE.uscc);
    await control.patchCompany(LATE.uscc, { annualReports: [{ year: 2025, publishedOn: '2026-08-20' }, { year: 2024, publishedOn: '2025-06-10' }] });
    at('2026-09-01T01:00:00.000Z');
    const after = await h.check(LATE.uscc);
    expect(after.events).toEqual([]);
    expect(await annualCalls()).toBe(1);
  });
});
