/**
 * Cadence by grade at run time: the plan `planGradeCadence` makes of `schedule.byGrade`, the default
 * schedule and the daily call budget for the register as it is now, and each check's next time from
 * the grade that check gave. The call-budget guard stays the hard stop; this only plans to stay under it.
 */
import { planGradeCadence, spreadCheckAt, type CadencePlan } from '../domain/grade-cadence.js';
import type { Grade } from '../domain/grades.js';

/** How long a plan is used before the register is counted again, in ms (the sweep's tick). */
export const PLAN_MAX_AGE_MS = 60_000;

export interface GradeScheduleDeps {
  /** Monitored customers per grade (the store's cheap grouped count). */
  countByGrade(): Promise<Partial<Record<Grade, number>>>;
  /** `schedule.byGrade` in ms; a grade left out follows the default schedule. */
  byGradeMs: Partial<Record<Grade, number>>;
  /** The default schedule (CM_SCAN_INTERVAL, or the next CM_SCAN_CRON time) after a check at `checkedAt`. */
  defaultNextCheckAt(checkedAt: number): number;
  /** The default schedule's mean period in ms (the interval, or the cron's mean gap). */
  defaultIntervalMs: number;
  /** Whether the default schedule is a cron: its grades keep the cron's times unless the budget stretches them. */
  defaultIsCron: boolean;
  /** Provider calls one check makes (3 core sections + each optional section that is on). */
  callsPerCheck: number;
  /** `provider.dailyCallBudget`; null: unlimited. */
  dailyCallBudget: number | null;
  /** Epoch ms now. */
  clock: () => number;
  /** 0 ≤ x < 1, for the spread of next times. */
  random: () => number;
  /** Default {@link PLAN_MAX_AGE_MS}. */
  planMaxAgeMs?: number;
  /** Told when a new plan stretches other grades than the last one did (for the log). */
  onStretchChanged?: (plan: CadencePlan) => void;
}

export interface GradeSchedule {
  /** The plan in force: counted again once it is older than the max age. */
  plan(): Promise<CadencePlan>;
  /** Counts the register now and plans again (the sweep does this every tick). */
  refresh(): Promise<CadencePlan>;
  /**
   * When a customer checked at `checkedAt` (epoch ms) with `grade` (the grade that check gave) is due
   * again: its grade's planned interval plus a spread, or the default cron time for a grade on an
   * unstretched cron default.
   */
  nextCheckAt(checkedAt: number, grade: Grade): Promise<number>;
}

/** Which grades a plan stretched, as a key to tell plans apart. */
function stretchKey(plan: CadencePlan): string {
  return Object.entries(plan.byGrade).filter(([, cadence]) => cadence.stretched).map(([grade, cadence]) => `${grade}:${cadence.intervalMs}`).join(',');
}

export function createGradeSchedule(deps: GradeScheduleDeps): GradeSchedule {
  const maxAgeMs = deps.planMaxAgeMs ?? PLAN_MAX_AGE_MS;
  let current: { plan: CadencePlan; at: number } | undefined;
  let counting: Promise<CadencePlan> | undefined;

  const count = async (): Promise<CadencePlan> => {
    const plan = planGradeCadence({
      byGradeMs: deps.byGradeMs,
      defaultIntervalMs: deps.defaultIntervalMs,
      customers: await deps.countByGrade(),
      callsPerCheck: deps.callsPerCheck,
      dailyCallBudget: deps.dailyCallBudget,
    });
    const before = current === undefined ? '' : stretchKey(current.plan);
    current = { plan, at: deps.clock() };
    if (stretchKey(plan) !== before) deps.onStretchChanged?.(plan);
    return plan;
  };
  // One count at a time: checks running side by side share it.
  const refresh = (): Promise<CadencePlan> => {
    counting ??= count().finally(() => {
      counting = undefined;
    });
    return counting;
  };
  const plan = async (): Promise<CadencePlan> => {
    if (current !== undefined && deps.clock() - current.at < maxAgeMs) return current.plan;
    return refresh();
  };

  return {
    plan,
    refresh,
    nextCheckAt: async (checkedAt, grade) => {
      const cadence = (await plan()).byGrade[grade];
      if (deps.defaultIsCron && deps.byGradeMs[grade] === undefined && !cadence.stretched) return deps.defaultNextCheckAt(checkedAt);
      return spreadCheckAt(checkedAt, cadence.intervalMs, deps.random());
    },
  };
}
