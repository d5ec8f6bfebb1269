/**
 * The annual-report section: read once per customer a year from 1 July (Asia/Shanghai), and
 * `annual_report.missing` once per customer and year when last year's report is not published.
 * Dates are Shanghai calendar days; the UTC boundary is tested through shanghaiDay (run under TZ=UTC).
 */
import { describe, expect, it } from 'vitest';
import { annualReportsDue, diffAnnualReports, normaliseAnnualReports } from '../../src/domain/annual-reports.js';
import { shanghaiDay } from '../../src/domain/dates.js';
import { diffSnapshots } from '../../src/domain/diff.js';
import { eventId, yearBasis } from '../../src/domain/event-id.js';
import { toFetchedSections } from '../../src/domain/fetched-sections.js';
import type { RawSections } from '../../src/domain/sections.js';
import { snapshotHash } from '../../src/domain/snapshot-hash.js';
import type { AnnualReports, NotFound, Registration } from '../../src/domain/snapshot.js';
import { DEFAULT_TIER_POLICY, tierFor } from '../../src/domain/tiers.js';
import { fetched, NOT_FOUND, rawRegistration, registration, SAME_METHOD, sha256, snapshot, TRANSIENT } from './domain-fixtures.js';

const read = (readOn: string, ...years: number[]): AnnualReports => ({
  readOn,
  reports: years.map((year) => ({ year, publishedOn: `${year + 1}-05-20` })),
});

describe('annualReportsDue: one read per customer a year, from 1 July', () => {
  it.each<{ name: string; previous: AnnualReports | undefined; today: string; due: boolean }>([
    { name: 'never read, before the deadline', previous: undefined, today: '2026-06-30', due: false },
    { name: 'never read, on 1 July', previous: undefined, today: '2026-07-01', due: true },
    { name: 'never read, in December', previous: undefined, today: '2026-12-31', due: true },
    { name: 'read last year, before this deadline', previous: read('2025-07-01', 2024), today: '2026-03-01', due: false },
    { name: 'read last year, after this deadline', previous: read('2025-12-31', 2024), today: '2026-07-01', due: true },
    { name: 'already read this year', previous: read('2026-07-01', 2025), today: '2026-07-02', due: false },
    { name: 'already read this year, at year end', previous: read('2026-07-15', 2025), today: '2026-12-31', due: false },
    { name: 'read this year before the deadline (not a read of the year)', previous: read('2026-06-30', 2025), today: '2026-07-01', due: true },
    { name: 'read last year, new year begins', previous: read('2026-08-01'), today: '2027-01-01', due: false },
  ])('$name', ({ previous, today, due }) => {
    expect(annualReportsDue(previous, today)).toBe(due);
  });

  it.each([
    { instant: '2026-06-30T15:59:59.999Z', due: false }, // 23:59:59 on 30 June in Shanghai
    { instant: '2026-06-30T16:00:00.000Z', due: true }, // 00:00 on 1 July in Shanghai, still 30 June in UTC
    { instant: '2026-07-01T12:00:00.000Z', due: true },
    { instant: '2026-12-31T16:00:00.000Z', due: false }, // 1 January 2027 in Shanghai: the new year's window is open
  ])('at $instant (UTC) the read is due: $due', ({ instant, due }) => {
    expect(annualReportsDue(read('2025-07-10', 2024), shanghaiDay(Date.parse(instant)))).toBe(due);
  });
});

describe('normaliseAnnualReports', () => {
  it('reads the year in its spellings, merges a year listed twice, and sorts by year', () => {
    const section = normaliseAnnualReports(
      [
        { year: '２０２５年度报告', publishedOn: '2026-05-20 00:00:00' },
        { year: 2023, publishedOn: null },
        { year: '2024年度', publishedOn: 1718640000000 }, // 2024-06-18 in Beijing
        { year: '2025', publishedOn: '2026-06-01' }, // a correction, published later
      ],
      '2026-07-01',
    );
    expect(section).toEqual({
      readOn: '2026-07-01',
      reports: [
        { year: 2023, publishedOn: null },
        { year: 2024, publishedOn: '2024-06-18' },
        { year: 2025, publishedOn: '2026-06-01' },
      ],
    });
  });

  it.each([{ year: null }, { year: '' }, { year: '年度报告' }, { year: '20251' }, { year: 1889 }, { year: 2025.5 }, { year: '25年度' }])(
    'an unreadable year ($year) fails the section rather than reading as missing',
    ({ year }) => {
      const raw: RawSections = {
        registration: { ok: true, value: rawRegistration() },
        abnormalOperations: { ok: true, value: [] },
        seriousViolations: { ok: true, value: [] },
        annualReports: { ok: true, value: [{ year: '2024', publishedOn: null }, { year, publishedOn: '2026-05-01' }] },
      };
      expect(toFetchedSections(raw, sha256, { readOn: '2026-07-01' }).annualReports).toMatchObject({ ok: false, error: { kind: 'invalid_response' } });
    },
  );

  it('"no data" is none published; a failure stays failed; the read needs its date', () => {
    const raw = (annualReports: RawSections['annualReports']): RawSections => ({
      registration: { ok: true, value: rawRegistration() },
      abnormalOperations: { ok: true, value: [] },
      seriousViolations: { ok: true, value: [] },
      ...(annualReports === undefined ? {} : { annualReports }),
    });
    const noData = raw({ ok: false, error: { kind: 'no_data', message: 'no data' } });
    expect(toFetchedSections(noData, sha256, { readOn: '2026-07-01' }).annualReports).toEqual({ ok: true, value: { readOn: '2026-07-01', reports: [] } });
    expect(toFetchedSections(raw({ ok: false, error: TRANSIENT }), sha256, { readOn: '2026-07-01' }).annualReports).toEqual({ ok: false, error: TRANSIENT });
    expect(toFetchedSections(raw(undefined), sha256).annualReports).toBeUndefined();
    expect(() => toFetchedSections(noData, sha256)).toThrow(/readOn/);
  });
});

type Result = Parameters<typeof diffAnnualReports>[1];
const ok = (value: AnnualReports): Result => ({ ok: true, value });
const FAILED: Result = { ok: false };
const ESTABLISHED_2015 = registration({ establishedOn: '2015-06-01' });

describe('diffAnnualReports', () => {
  it.each<{ name: string; previous: AnnualReports | undefined; result: Result; reg: Registration | NotFound | null; missing: number | null; baseline?: boolean; kept?: boolean }>([
    { name: 'first read after the deadline, last year missing: raised, baseline', previous: undefined, result: ok(read('2026-07-01', 2023, 2024)), reg: ESTABLISHED_2015, missing: 2025, baseline: true },
    { name: 'next year, missing again: raised, not baseline', previous: read('2025-07-03', 2023, 2024), result: ok(read('2026-07-02', 2023, 2024)), reg: ESTABLISHED_2015, missing: 2025, baseline: false },
    { name: 'none ever published: raised', previous: undefined, result: ok(read('2026-09-01')), reg: ESTABLISHED_2015, missing: 2025, baseline: true },
    { name: 'published: nothing', previous: read('2025-07-03', 2024), result: ok(read('2026-07-02', 2024, 2025)), reg: ESTABLISHED_2015, missing: null },
    { name: 'older years missing, last year published: nothing', previous: undefined, result: ok(read('2026-07-02', 2025)), reg: ESTABLISHED_2015, missing: null },
    { name: 'already judged this year: nothing again', previous: read('2026-07-01', 2024), result: ok(read('2026-08-01', 2024)), reg: ESTABLISHED_2015, missing: null },
    { name: 'read before the deadline: nothing is late yet', previous: undefined, result: ok(read('2026-06-30', 2024)), reg: ESTABLISHED_2015, missing: null },
    { name: 'set up last year: owes last year', previous: undefined, result: ok(read('2026-07-01')), reg: registration({ establishedOn: '2025-12-31' }), missing: 2025 },
    { name: 'set up this year: owes nothing yet', previous: undefined, result: ok(read('2026-07-01')), reg: registration({ establishedOn: '2026-01-01' }), missing: null },
    { name: 'establishment date unknown: owes it', previous: undefined, result: ok(read('2026-07-01')), reg: registration({ establishedOn: null }), missing: 2025 },
    { name: 'revoked: nothing', previous: undefined, result: ok(read('2026-07-01')), reg: registration({ status: 'revoked' }), missing: null },
    { name: 'cancelled: nothing', previous: undefined, result: ok(read('2026-07-01')), reg: registration({ status: 'cancelled' }), missing: null },
    { name: 'suspended (歇业) must still file: raised', previous: undefined, result: ok(read('2026-07-01')), reg: registration({ status: 'suspended', establishedOn: '2015-06-01' }), missing: 2025 },
    { name: 'no such company: nothing', previous: undefined, result: ok(read('2026-07-01')), reg: NOT_FOUND, missing: null },
    { name: 'registration never read: the read is not taken', previous: read('2025-07-03', 2024), result: ok(read('2026-07-01')), reg: null, missing: null, kept: true },
    { name: 'not fetched: nothing, last read kept', previous: read('2025-07-03', 2023), result: undefined, reg: ESTABLISHED_2015, missing: null, kept: true },
    { name: 'failed read: nothing, last read kept', previous: read('2025-07-03', 2023), result: FAILED, reg: ESTABLISHED_2015, missing: null, kept: true },
    { name: 'failed first read: nothing, still never read', previous: undefined, result: FAILED, reg: ESTABLISHED_2015, missing: null, kept: true },
  ])('$name', ({ previous, result, reg, missing, baseline, kept }) => {
    const diff = diffAnnualReports(previous, result, reg);
    expect(diff.events.map((e) => e.annualReport?.year ?? null)).toEqual(missing === null ? [] : [missing]);
    for (const event of diff.events) {
      expect(event.type).toBe('annual_report.missing');
      expect(tierFor(event, DEFAULT_TIER_POLICY)).toBe('medium');
      if (baseline !== undefined) expect(event.baseline).toBe(baseline);
    }
    expect(diff.next).toEqual(kept === true ? previous : result?.ok === true ? result.value : undefined);
  });
});

describe('annual reports in the snapshot diff', () => {
  const withReports = (annualReports: AnnualReports | 'failed' | undefined) => {
    const base = fetched({ registration: ESTABLISHED_2015 });
    if (annualReports === 'failed') base.annualReports = { ok: false, error: TRANSIENT };
    else if (annualReports !== undefined) base.annualReports = { ok: true, value: annualReports };
    return base;
  };
  const before = snapshot({ registration: ESTABLISHED_2015, annualReports: read('2026-07-01', 2024) });

  it('missing: raised once, after the other sections; the next reads that year raise nothing', () => {
    const first = diffSnapshots(snapshot({ registration: ESTABLISHED_2015 }), withReports(read('2026-07-01', 2024)), SAME_METHOD);
    expect(first.events.map((e) => [e.type, e.annualReport])).toEqual([['annual_report.missing', { year: 2025 }]]);
    expect(first.next.annualReports).toEqual(read('2026-07-01', 2024));
    // A second read the same year (two checks raced past the due test) judges nothing again.
    expect(diffSnapshots(first.next, withReports(read('2026-07-02', 2024)), SAME_METHOD).events).toEqual([]);
  });

  it.each([
    { name: 'not fetched', next: undefined },
    { name: 'failed', next: 'failed' as const },
  ])('$name: nothing raised and the snapshot, hash included, is unchanged', ({ next }) => {
    const diff = diffSnapshots(before, withReports(next), SAME_METHOD);
    expect(diff.events).toEqual([]);
    expect(snapshotHash(diff.next, sha256)).toBe(snapshotHash(before, sha256));
  });

  it('a customer without the section keeps hashing as before it existed', () => {
    const plain = snapshot({ registration: ESTABLISHED_2015 });
    const diff = diffSnapshots(plain, withReports(undefined), SAME_METHOD);
    expect('annualReports' in diff.next).toBe(false);
    expect(snapshotHash(diff.next, sha256)).toBe(snapshotHash(plain, sha256));
  });

  it('is judged against the registration read in the same check', () => {
    const revokedNow = fetched({ registration: registration({ status: 'revoked' }) });
    revokedNow.annualReports = { ok: true, value: read('2026-07-01') };
    const diff = diffSnapshots(snapshot({ registration: ESTABLISHED_2015 }), revokedNow, SAME_METHOD);
    expect(diff.events.map((e) => e.type)).toEqual(['registration.status_changed']);
  });
});

describe('the event id of a missing report', () => {
  const draft = (year: number) => ({ type: 'annual_report.missing' as const, baseline: false, annualReport: { year } });
  const id = (uscc: string, year: number) => eventId(sha256, { uscc, draft: draft(year), against: yearBasis(year) });

  it('is one per customer and year, whichever check raises it', () => {
    expect(id('91440300708461136T', 2025)).toBe(id('91440300708461136T', 2025));
    expect(id('91440300708461136T', 2025)).not.toBe(id('91440300708461136T', 2024));
    expect(id('91440300708461136T', 2025)).not.toBe(id('91110108551385082Q', 2025));
    // The year is part of the subject too: another year's basis alone does not make two years collide.
    expect(eventId(sha256, { uscc: 'X', draft: draft(2025), against: 'same' })).not.toBe(eventId(sha256, { uscc: 'X', draft: draft(2024), against: 'same' }));
  });
});
