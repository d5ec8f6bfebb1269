/** Calendar arithmetic on "YYYY-MM-DD" days (Asia/Shanghai dates, as every date in a snapshot). */

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(day: string): [number, number, number] {
  const match = DAY.exec(day);
  if (!match) throw new RangeError(`not a YYYY-MM-DD day: ${day}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function format(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * The same day `months` months earlier; a day the earlier month lacks becomes its last day
 * (2024-02-29 minus 12 months is 2023-02-28, 2026-03-31 minus 1 month is 2026-02-28).
 */
export function monthsBefore(day: string, months: number): string {
  const [year, month, date] = parts(day);
  const target = new Date(Date.UTC(year, month - 1 - months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date, lastDay));
  return format(target);
}

export function yearsBefore(day: string, years: number): string {
  return monthsBefore(day, years * 12);
}

export function daysBefore(day: string, days: number): string {
  const [year, month, date] = parts(day);
  return format(new Date(Date.UTC(year, month - 1, date - days)));
}

/** The same day `years` years later; 29 February becomes 28 February in a common year. */
export function yearsAfter(day: string, years: number): string {
  return monthsBefore(day, -years * 12);
}

export function daysAfter(day: string, days: number): string {
  return daysBefore(day, -days);
}

/** 0 (Sunday) … 6 (Saturday), from the date alone: the process's time zone plays no part. */
export function weekday(day: string): number {
  const [year, month, date] = parts(day);
  return new Date(Date.UTC(year, month - 1, date)).getUTCDay();
}

/** The year of a "YYYY-MM-DD" day. */
export function yearOf(day: string): number {
  return parts(day)[0];
}

/** Whether `text` is a real "YYYY-MM-DD" calendar day (not 2026-02-30). */
export function isCalendarDay(text: string): boolean {
  const match = DAY.exec(text);
  if (!match) return false;
  return format(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))) === text;
}
