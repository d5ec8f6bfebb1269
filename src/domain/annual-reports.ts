/**
 * The annual-report section (年度报告). 企业信息公示暂行条例 Art. 8: each year from 1 January to 30 June
 * a company publishes its report on the year before; one set up in a year starts the next year. A
 * company still unpublished after 30 June is put on the abnormal-operations list within ten working
 * days, so a missing report is the leading indicator of that listing. The section is read once per
 * customer a year, on the first check from 1 July (Asia/Shanghai); until then the last read stands.
 */
import { toIsoDate } from './dates.js';
import type { EventDraft } from './events.js';
import { NormaliseError } from './normalise-error.js';
import type { RawAnnualReport } from './sections.js';
import { TERMINAL_STATUSES, type AnnualReport, type AnnualReports, type NotFound, type Registration } from './snapshot.js';

/** Reports exist from the 2013 year on (the system began in 2014): a year far outside is garbage. */
const EARLIEST_REPORT_YEAR = 1990;
const LATEST_REPORT_YEAR = 2199;

/** The first day after the publication window (1 January – 30 June) of the year `day` (YYYY-MM-DD) falls in. */
function windowClosedOn(day: string): string {
  return `${day.slice(0, 4)}-07-01`;
}

/** Whether a read on `day` is after that year's deadline, so that last year's report is due by then. */
export function isAfterDeadline(day: string): boolean {
  return day >= windowClosedOn(day);
}

/**
 * Whether this check reads the annual reports: from 1 July of `today`'s year (YYYY-MM-DD,
 * Asia/Shanghai), when no read has been made since. Before 1 July nothing is late yet, and after the
 * year's read the section is carried over without a call.
 */
export function annualReportsDue(previous: AnnualReports | undefined, today: string): boolean {
  if (!isAfterDeadline(today)) return false;
  return previous === undefined || previous.readOn < windowClosedOn(today);
}

function reportYear(raw: RawAnnualReport['year']): number {
  if (typeof raw === 'number' && !Number.isInteger(raw)) throw new NormaliseError('year', `${raw} is not a report year`);
  const text = typeof raw === 'number' ? String(raw) : (raw ?? '').normalize('NFKC').trim();
  // "2025", "2025年度", "2025年度报告": the year leads.
  const match = /^(\d{4})(?!\d)/.exec(text);
  const year = match ? Number(match[1]) : NaN;
  if (!Number.isInteger(year) || year < EARLIEST_REPORT_YEAR || year > LATEST_REPORT_YEAR) {
    throw new NormaliseError('year', `"${text}" is not a report year`);
  }
  return year;
}

/**
 * The section as read on `readOn`: one report per year (a year listed twice, e.g. after a
 * correction, keeps its latest date), by year.
 * @throws NormaliseError when a year or date is unreadable: a report dropped as unreadable would read
 * as a missing one, so the section fails instead.
 */
export function normaliseAnnualReports(raw: readonly RawAnnualReport[], readOn: string): AnnualReports {
  const byYear = new Map<number, AnnualReport>();
  for (const report of raw) {
    const year = reportYear(report.year);
    const publishedOn = toIsoDate(report.publishedOn, 'publishedOn');
    byYear.set(year, { year, publishedOn: later(byYear.get(year)?.publishedOn ?? null, publishedOn) });
  }
  return { readOn, reports: [...byYear.values()].sort((a, b) => a.year - b.year) };
}

function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  return b === null || a > b ? a : b;
}

/**
 * Whether the company owed the report on `year`: it existed before that year ended (set up in a
 * year, it reports from the next), and its registration is not terminal (revoked, cancelled or
 * withdrawn, which its status events already report). An unknown establishment date owes it: a
 * company set up this year is the exception, and providers date their establishment.
 */
function owesReport(registration: Registration, year: number): boolean {
  if (TERMINAL_STATUSES.includes(registration.status)) return false;
  return registration.establishedOn === null || registration.establishedOn <= `${year}-12-31`;
}

/**
 * `annual_report.missing` for a successful read: read after 30 June of year Y, the report on Y-1 is
 * not among the published ones, and the company owed it. Once a year: not when an earlier read this
 * year has judged it already. `baseline` on the section's first read (onboarding must surface it).
 */
export function missingAnnualReportDraft(
  read: AnnualReports,
  previous: AnnualReports | undefined,
  registration: Registration | NotFound,
): EventDraft | null {
  if (!isAfterDeadline(read.readOn)) return null;
  if (previous !== undefined && previous.readOn >= windowClosedOn(read.readOn)) return null;
  if ('notFound' in registration) return null;
  const year = Number(read.readOn.slice(0, 4)) - 1;
  if (read.reports.some((report) => report.year === year)) return null;
  if (!owesReport(registration, year)) return null;
  return { type: 'annual_report.missing', baseline: previous === undefined, annualReport: { year } };
}

export interface AnnualReportsDiff {
  /** The section of the next snapshot; undefined while it has never been read. */
  next: AnnualReports | undefined;
  events: EventDraft[];
}

/**
 * The section's part of the diff. Not fetched (not due, or turned off) or failed: the last read is
 * carried over untouched and nothing is raised, so a call not made never looks like a change. A
 * read is taken only once the company's registration is known: without it, who owes a report cannot
 * be told, and the read is made again at the next check rather than spent on a guess.
 */
export function diffAnnualReports(
  previous: AnnualReports | undefined,
  result: { ok: true; value: AnnualReports } | { ok: false } | undefined,
  registration: Registration | NotFound | null,
): AnnualReportsDiff {
  if (result === undefined || !result.ok || registration === null) return { next: previous, events: [] };
  const draft = missingAnnualReportDraft(result.value, previous, registration);
  return { next: result.value, events: draft === null ? [] : [draft] };
}
