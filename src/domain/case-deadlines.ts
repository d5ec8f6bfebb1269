/**
 * A case's two deadlines (`cases.deadlines.<tier>`), counted in working days from the Asia/Shanghai
 * day it opened, and when each is overdue. Also the warning that the calendar's data is running out.
 */
import { daysAfter, yearOf } from './calendar-days.js';
import type { CaseDeadline, CaseDeadlineKind, CaseRecord } from './cases.js';
import { shanghaiDay } from './dates.js';
import type { Tier } from './events.js';
import { addWorkingDays, type WorkdayCalendar } from './workday-calendar.js';

/** `cases.deadlines.<tier>`: working days, the day the case opened excluded. */
export interface TierDeadlines {
  /** Working days to acknowledge the case. */
  acknowledgeDays: number;
  /** Working days to resolve it (with a decision). */
  resolveDays: number;
}

/**
 * The shipped deadlines: the more severe, the sooner. `info` (a case only when `cases.openAt` is
 * `info`) follows `low`.
 */
export const DEFAULT_CASE_DEADLINES: Readonly<Record<Tier, Readonly<TierDeadlines>>> = Object.freeze({
  critical: Object.freeze({ acknowledgeDays: 1, resolveDays: 5 }),
  high: Object.freeze({ acknowledgeDays: 2, resolveDays: 10 }),
  medium: Object.freeze({ acknowledgeDays: 5, resolveDays: 20 }),
  low: Object.freeze({ acknowledgeDays: 10, resolveDays: 30 }),
  info: Object.freeze({ acknowledgeDays: 10, resolveDays: 30 }),
});

/** Both deadlines of a case opened at `openedAt` (epoch ms), counted from its Asia/Shanghai day. */
export function caseDeadlines(
  calendar: WorkdayCalendar,
  openedAt: number,
  deadlines: TierDeadlines,
): { acknowledgeDue: CaseDeadline; resolveDue: CaseDeadline } {
  const opened = shanghaiDay(openedAt);
  return {
    acknowledgeDue: addWorkingDays(calendar, opened, deadlines.acknowledgeDays),
    resolveDue: addWorkingDays(calendar, opened, deadlines.resolveDays),
  };
}

type CaseDeadlines = Pick<CaseRecord, 'state' | 'acknowledgeDue' | 'resolveDue'>;

/**
 * The deadline that is next (what a case payload's `dueAt` shows): acknowledge while open, then
 * resolve; none once resolved.
 */
export function nextDue(record: CaseDeadlines): { kind: CaseDeadlineKind; due: CaseDeadline } | undefined {
  switch (record.state) {
    case 'open':
      return { kind: 'acknowledge', due: record.acknowledgeDue };
    case 'acknowledged':
      return { kind: 'resolve', due: record.resolveDue };
    case 'resolved':
      return undefined;
  }
}

/**
 * Whether a deadline is missed at `now` (epoch ms): acknowledge while the case is still open,
 * resolve until it is resolved; due at the end of the due day, so overdue from `dueAt` on.
 */
export function isOverdue(kind: CaseDeadlineKind, record: CaseDeadlines, now: number): boolean {
  switch (kind) {
    case 'acknowledge':
      return record.state === 'open' && now >= record.acknowledgeDue.dueAt;
    case 'resolve':
      return record.state !== 'resolved' && now >= record.resolveDue.dueAt;
  }
}

/** The deadlines missed at `now` for which `case.overdue` has not been raised yet (once per deadline). */
export function overdueToRaise(record: CaseDeadlines & Pick<CaseRecord, 'overdueRaisedAt'>, now: number): CaseDeadlineKind[] {
  return (['acknowledge', 'resolve'] as const).filter((kind) => record.overdueRaisedAt[kind] === null && isOverdue(kind, record, now));
}

/** The longest deadline configured, in working days: how far ahead deadlines counted today reach. */
export function longestDeadlineDays(deadlines: Readonly<Partial<Record<Tier, TierDeadlines>>>): number {
  return Math.max(1, ...Object.values(deadlines).map((d) => Math.max(d.acknowledgeDays, d.resolveDays)));
}

/**
 * One line (zh-CN / English) when deadlines counted now, reaching up to `horizonWorkingDays` working
 * days ahead (see `longestDeadlineDays`), would run into a year the calendar's data does not cover;
 * undefined while they would not. `status` and the console show it.
 */
export function calendarWarning(calendar: WorkdayCalendar, now: number, horizonWorkingDays: number): string | undefined {
  const today = shanghaiDay(now);
  const reach = addWorkingDays(calendar, today, horizonWorkingDays);
  if (!reach.provisional) return undefined;
  const year = firstUncoveredYear(calendar, today, reach.day);
  return (
    `工作日历缺少${year}年的节假日数据，跨年期限按周一至周五计算并标记为暂定 / ` +
    `the working-day calendar has no data for ${year}: deadlines reaching it count Monday–Friday and are marked provisional`
  );
}

/** The year of the first day after `start`, up to `end`, that the calendar does not cover. */
function firstUncoveredYear(calendar: WorkdayCalendar, start: string, end: string): number {
  for (let day = daysAfter(start, 1); day < end; day = daysAfter(day, 1)) {
    if (!calendar.covers(day)) return yearOf(day);
  }
  return yearOf(end);
}
