/**
 * How often each grade is checked under the daily call budget: the intervals `schedule.byGrade`
 * asks for, stretched only as far as the budget needs, least risky grades first and the risk grade
 * last. No grade is stretched beyond weekly while another can still give way, so when the budget
 * allows a flat daily sweep every grade is checked at least weekly.
 */
import { GRADES, type Grade } from './grades.js';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/** Who gives way first when the budget is short: the best grades, then fair, unrated, and risk last. */
export const STRETCH_ORDER: readonly Grade[] = ['excellent', 'good', 'fair', 'unrated', 'risk'];

export interface CadenceInput {
  /** `schedule.byGrade` in ms; a grade left out asks for `defaultIntervalMs`. */
  byGradeMs: Partial<Record<Grade, number>>;
  /** CM_SCAN_INTERVAL in ms (with CM_SCAN_CRON, the cron's period, e.g. 24 h for a daily cron). */
  defaultIntervalMs: number;
  /** Customers per grade that are scheduled (paused ones left out); a grade left out has none. */
  customers: Partial<Record<Grade, number>>;
  /** Provider calls one check makes on average (3 core sections, +1 per optional section on, + extra pages). */
  callsPerCheck: number;
  /** `provider.dailyCallBudget`; null: unlimited (the asked intervals stand). */
  dailyCallBudget: number | null;
}

export interface GradeCadence {
  /** The interval to schedule, in ms (whole seconds). */
  intervalMs: number;
  /** What `schedule.byGrade` (or the default) asked for. */
  wantedIntervalMs: number;
  customers: number;
  /** Expected provider calls per day for this grade at `intervalMs`. */
  callsPerDay: number;
  /** Whether the budget made the interval longer than asked. */
  stretched: boolean;
}

export interface CadencePlan {
  byGrade: Record<Grade, GradeCadence>;
  /** Expected provider calls per day over every grade; at most the budget. */
  callsPerDay: number;
  dailyCallBudget: number | null;
}

/** Expected calls per day of `customers` checked every `intervalMs`. */
function callsPerDay(customers: number, callsPerCheck: number, intervalMs: number): number {
  return (customers * callsPerCheck * DAY_MS) / intervalMs;
}

/**
 * The intervals to schedule. Over budget, each grade in `STRETCH_ORDER` is stretched in turn, only
 * as far as needed and at most to weekly (or to what it asked, if longer); if every grade at weekly
 * is still over budget (a budget below a weekly sweep), all intervals are stretched by one factor.
 * Stretched intervals are rounded up to whole seconds, so rounding never adds calls.
 */
export function planGradeCadence(input: CadenceInput): CadencePlan {
  const wanted = Object.fromEntries(GRADES.map((g) => [g, input.byGradeMs[g] ?? input.defaultIntervalMs])) as Record<Grade, number>;
  const count = (g: Grade): number => input.customers[g] ?? 0;
  const intervals = { ...wanted };
  const total = (): number => GRADES.reduce((sum, g) => sum + callsPerDay(count(g), input.callsPerCheck, intervals[g]), 0);
  const budget = input.dailyCallBudget;

  if (budget !== null && total() > budget) {
    for (const grade of STRETCH_ORDER) {
      if (count(grade) === 0) continue;
      const others = total() - callsPerDay(count(grade), input.callsPerCheck, intervals[grade]);
      const cap = Math.max(wanted[grade], WEEK_MS);
      const room = budget - others;
      if (room > 0 && callsPerDay(count(grade), input.callsPerCheck, cap) <= room) {
        intervals[grade] = Math.min(cap, Math.max(wanted[grade], (count(grade) * input.callsPerCheck * DAY_MS) / room));
        break;
      }
      intervals[grade] = cap;
    }
    const over = total() / budget;
    // Float noise after an exact fit reads as a hair over 1: only a real shortfall stretches everyone.
    if (over > 1 + 1e-9) for (const grade of GRADES) intervals[grade] *= over;
  }

  const byGrade = Object.fromEntries(
    GRADES.map((grade) => {
      const stretched = intervals[grade] > wanted[grade];
      const intervalMs = stretched ? Math.ceil(intervals[grade] / 1000) * 1000 : wanted[grade];
      const cadence: GradeCadence = {
        intervalMs,
        wantedIntervalMs: wanted[grade],
        customers: count(grade),
        callsPerDay: callsPerDay(count(grade), input.callsPerCheck, intervalMs),
        stretched,
      };
      return [grade, cadence];
    }),
  ) as Record<Grade, GradeCadence>;
  return { byGrade, callsPerDay: GRADES.reduce((sum, g) => sum + byGrade[g].callsPerDay, 0), dailyCallBudget: budget };
}

/** How much later than its interval a check may be put, as a share of the interval: the spread. */
export const SPREAD_SHARE = 0.1;

/**
 * When a customer checked at `checkedAt` (epoch ms) is due again on an interval of `intervalMs`:
 * after the interval, plus up to `SPREAD_SHARE` of it by `fraction` (0 ≤ fraction < 1, drawn per
 * check), so that a batch checked together (an import, a morning backlog) does not come due again
 * as one spike. Never sooner than the interval, so a spread check never spends more than planned.
 */
export function spreadCheckAt(checkedAt: number, intervalMs: number, fraction: number): number {
  const share = Math.min(Math.max(fraction, 0), 1);
  return checkedAt + intervalMs + Math.floor(intervalMs * SPREAD_SHARE * share);
}
