/**
 * The working-day calendar over `chinese-days` (official holidays and 调休 make-up days from the
 * State Council's yearly notices) with the local override file laid over it. Its bundled JSON is
 * read, not its functions: they take Date objects in places (time-zone sensitive), and past their
 * last year they silently answer Monday–Friday, which this calendar reports as not covered instead.
 */
import data from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { createWorkdayCalendar, NO_CALENDAR_DAYS, type CalendarDays, type WorkdayCalendar } from '../domain/workday-calendar.js';

/** The package's data: each a map from `YYYY-MM-DD` to "English,中文,days". */
interface ChineseDaysData {
  holidays: Readonly<Record<string, string>>;
  workdays: Readonly<Record<string, string>>;
  inLieuDays: Readonly<Record<string, string>>;
}

/** The package's data as a calendar layer; its years are the span of its days (2004–2026 in 1.5.7). */
export function chineseDaysData(source: ChineseDaysData = data): CalendarDays {
  // Days in lieu (调休) are holidays already; taken in as well, in case a release lists one only there.
  const holidays = [...new Set([...Object.keys(source.holidays), ...Object.keys(source.inLieuDays)])];
  const workdays = Object.keys(source.workdays);
  const years = [...holidays, ...workdays].map((day) => Number(day.slice(0, 4)));
  const first = Math.min(...years);
  const last = Math.max(...years);
  return {
    years: Array.from({ length: last - first + 1 }, (_, i) => first + i),
    holidays,
    workdays,
  };
}

const OFFICIAL = chineseDaysData();

/** The official calendar with `overrides` (the file of `calendar.overridesFile`) laid over it. */
export function createChineseDaysCalendar(overrides: CalendarDays = NO_CALENDAR_DAYS): WorkdayCalendar {
  return createWorkdayCalendar(OFFICIAL, overrides);
}
