/**
 * What each grade gets today, for `status`: the cadence plan the workers follow (the same planner,
 * over the same count of customers per grade), and what was really done today (Asia/Shanghai day):
 * the workers' checks per grade they gave and the customers last checked today, both counted, and
 * provider calls, counted for all grades together (a call is not told which grade it serves).
 */
import type { CadencePlan } from '../domain/grade-cadence.js';
import { shanghaiDay } from '../domain/dates.js';
import { GRADES, type Grade } from '../domain/grades.js';

const DAY_MS = 86_400_000;

export interface GradeCadenceStatus {
  /** Monitored customers of this grade (paused ones left out). */
  customers: number;
  /** The interval the workers schedule, in ms (before the spread of up to a tenth more). */
  intervalMs: number;
  /** What `schedule.byGrade` or the default asked for, in ms. */
  wantedIntervalMs: number;
  /** Whether the daily call budget made the interval longer than asked. */
  stretched: boolean;
  /** Checks a day the plan expects of this grade. */
  plannedChecksPerDay: number;
  /** Provider calls a day the plan expects of this grade. */
  plannedCallsPerDay: number;
  /** Checks the workers recorded today that gave this grade; null when Redis, which counts them, did not answer. */
  checksToday: number | null;
  /** Customers of this grade (paused ones included) whose last check was today. */
  checkedToday: number;
}

export interface CadenceStatus {
  /** The counting day, YYYY-MM-DD in Asia/Shanghai (the budget's day). */
  day: string;
  dailyCallBudget: number | null;
  plannedCallsPerDay: number;
  /** Provider calls today over every grade; null when Redis, which counts them, did not answer. */
  callsToday: number | null;
  byGrade: Record<Grade, GradeCadenceStatus>;
}

/** The epoch ms at which the Asia/Shanghai day of `now` began (China keeps UTC+8 all year). */
export function startOfShanghaiDay(now: number): number {
  return Date.parse(`${shanghaiDay(now)}T00:00:00+08:00`);
}

const round = (n: number): number => Math.round(n * 10) / 10;

/** Today's counts from Redis; null when it did not answer. */
export interface CountedToday {
  calls: number;
  checks: Record<Grade, number>;
}

export function cadenceStatus(
  plan: CadencePlan,
  checkedToday: Partial<Record<Grade, number>>,
  counted: CountedToday | null,
  now: number,
): CadenceStatus {
  const byGrade = Object.fromEntries(
    GRADES.map((grade) => {
      const c = plan.byGrade[grade];
      const status: GradeCadenceStatus = {
        customers: c.customers,
        intervalMs: c.intervalMs,
        wantedIntervalMs: c.wantedIntervalMs,
        stretched: c.stretched,
        plannedChecksPerDay: round((c.customers * DAY_MS) / c.intervalMs),
        plannedCallsPerDay: round(c.callsPerDay),
        checksToday: counted === null ? null : counted.checks[grade],
        checkedToday: checkedToday[grade] ?? 0,
      };
      return [grade, status];
    }),
  ) as Record<Grade, GradeCadenceStatus>;
  return {
    day: shanghaiDay(now),
    dailyCallBudget: plan.dailyCallBudget,
    plannedCallsPerDay: round(plan.callsPerDay),
    callsToday: counted === null ? null : counted.calls,
    byGrade,
  };
}

/** "2s", "90m", "12h", "3.9d": the unit that reads best, one decimal at most. */
export function durationText(ms: number): string {
  const [unit, size] = ms < 60_000 ? ['s', 1_000] : ms < 3_600_000 ? ['m', 60_000] : ms < 2 * DAY_MS ? ['h', 3_600_000] : ['d', DAY_MS];
  return `${round(ms / size)}${unit}`;
}

/** The text lines of `status`: one for the day, one per grade that has customers or was checked today. */
export function cadenceLines(status: CadenceStatus): string[] {
  const budget = status.dailyCallBudget === null ? 'no daily call budget' : `budget ${status.dailyCallBudget} calls/day`;
  const done = status.callsToday === null ? '' : `, ${status.callsToday} calls so far`;
  const lines = [`cadence on ${status.day} (${budget}, planned ${status.plannedCallsPerDay} calls/day${done}):`];
  for (const grade of GRADES) {
    const g = status.byGrade[grade];
    if (g.customers === 0 && g.checkedToday === 0 && (g.checksToday ?? 0) === 0) continue;
    const stretched = g.stretched ? ` (stretched from ${durationText(g.wantedIntervalMs)} by the budget)` : '';
    const checks = g.checksToday === null ? '' : `, ${g.checksToday} checks`;
    lines.push(
      `  ${grade}: ${g.customers} customer(s) every ${durationText(g.intervalMs)}${stretched}, planned ${g.plannedChecksPerDay} checks ` +
        `(${g.plannedCallsPerDay} calls) a day; today ${g.checkedToday} checked${checks}`,
    );
  }
  if (lines.length === 1) lines.push('  no customers');
  return lines;
}
