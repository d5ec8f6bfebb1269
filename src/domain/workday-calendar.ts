/**
 * Chinese working days (工作日): official holidays and 调休 make-up days, counted the way the Civil
 * Code counts periods. Every day is a `YYYY-MM-DD` string on the Asia/Shanghai calendar, so the
 * process's time zone never enters a calculation.
 */
import { daysAfter, weekday, yearOf } from './calendar-days.js';
import type { CaseDeadline } from './cases.js';

/** The port: which days are working days, and which years the data really knows. */
export interface WorkdayCalendar {
  /**
   * Whether `day` (`YYYY-MM-DD`) is a working day. For a day whose year the data does not cover
   * (see `covers`), the answer is a guess: Monday–Friday, unless an override names the day.
   */
  isWorkday(day: string): boolean;
  /** Whether the data knows every holiday and make-up day of `day`'s year. */
  covers(day: string): boolean;
  /** The last year of the unbroken run of covered years that starts with the official data. */
  readonly lastCoveredYear: number;
}

/**
 * A layer of calendar data: single days declared holidays or working days, and the years the layer
 * describes in full. The official data is one layer; the override file (`calendar.overridesFile`)
 * has the same shape and is laid over it.
 */
export interface CalendarDays {
  /** Years whose every holiday and make-up day is in this layer (so they are no longer provisional). */
  years: readonly number[];
  /** Days off that would otherwise be working days (holidays, 调休 days in lieu, company holidays). */
  holidays: readonly string[];
  /** Days worked that would otherwise be off (调休 make-up Saturdays and Sundays). */
  workdays: readonly string[];
}

export const NO_CALENDAR_DAYS: CalendarDays = Object.freeze({ years: [], holidays: [], workdays: [] });

/**
 * A calendar from layers, later ones winning for a day both name. Years are covered when any layer
 * covers them; `lastCoveredYear` starts from the first layer's last year (the official data; 0 when
 * it names none) and runs on through the years the overrides cover without a gap.
 */
export function createWorkdayCalendar(official: CalendarDays, ...overrides: readonly CalendarDays[]): WorkdayCalendar {
  const days = new Map<string, boolean>();
  const years = new Set<number>();
  for (const layer of [official, ...overrides]) {
    for (const day of layer.holidays) days.set(day, false);
    for (const day of layer.workdays) days.set(day, true);
    for (const year of layer.years) years.add(year);
  }
  let lastCoveredYear = official.years.length === 0 ? 0 : Math.max(...official.years);
  while (years.has(lastCoveredYear + 1)) lastCoveredYear += 1;
  return {
    isWorkday: (day) => days.get(day) ?? isMondayToFriday(day),
    covers: (day) => years.has(yearOf(day)),
    lastCoveredYear,
  };
}

function isMondayToFriday(day: string): boolean {
  const dow = weekday(day);
  return dow >= 1 && dow <= 5;
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/**
 * The end of `day` in Asia/Shanghai (24:00, Civil Code Art. 203): the next day's 00:00 +08:00, as
 * epoch ms. A fixed +08:00 is right here: China has kept no daylight saving time since 1991.
 */
export function endOfShanghaiDay(day: string): number {
  const next = daysAfter(day, 1);
  return Date.parse(`${next}T00:00:00Z`) - SHANGHAI_OFFSET_MS;
}

/**
 * The `n`-th working day after `startDay`, the start day excluded (Civil Code Art. 201): opened on
 * Friday with n = 1, due Monday. Provisional when any day walked over (after the start, up to and
 * including the due day) lies in a year the calendar does not cover.
 * @throws RangeError when `n` is not a whole number of at least 1.
 */
export function addWorkingDays(calendar: WorkdayCalendar, startDay: string, n: number): CaseDeadline {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`working days must be a whole number of at least 1, got ${n}`);
  let day = startDay;
  let counted = 0;
  let provisional = false;
  while (counted < n) {
    day = daysAfter(day, 1);
    if (!calendar.covers(day)) provisional = true;
    if (calendar.isWorkday(day)) counted += 1;
  }
  return { day, dueAt: endOfShanghaiDay(day), provisional };
}
