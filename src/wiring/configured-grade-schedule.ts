/** The cadence-by-grade schedule as configured: built the same for the worker, `check`, `demo` and `status`. */
import { createGradeSchedule, type GradeSchedule, type GradeScheduleDeps } from '../app/grade-schedule.js';
import type { Config } from '../config/load-config.js';
import { createNextCheckAt, scanPeriodMs } from '../config/next-check.js';
import { callsPerCheck } from '../app/request-rescan.js';
import type { Logger } from '../logger.js';

export interface GradeScheduleParts {
  /** Monitored customers per grade: the store's `customers.countByGrade`. */
  countByGrade: GradeScheduleDeps['countByGrade'];
  clock: () => number;
  /** 0 ≤ x < 1, for the spread of next times. Default Math.random. */
  random?: () => number;
  /** Where a plan that stretches grades under the budget is told. None: not logged. */
  logger?: Logger;
}

export function configuredGradeSchedule(config: Config, parts: GradeScheduleParts): GradeSchedule {
  const schedule = { intervalMs: config.scanIntervalMs, cron: config.scanCron };
  const { logger } = parts;
  return createGradeSchedule({
    countByGrade: parts.countByGrade,
    byGradeMs: config.scheduleByGradeMs,
    defaultNextCheckAt: createNextCheckAt(schedule),
    defaultIntervalMs: scanPeriodMs(schedule, parts.clock()),
    defaultIsCron: schedule.cron !== undefined,
    callsPerCheck: callsPerCheck(config.provider.sections),
    dailyCallBudget: config.provider.dailyCallBudget,
    clock: parts.clock,
    random: parts.random ?? Math.random,
    ...(logger === undefined
      ? {}
      : {
          onStretchChanged: (plan) => {
            const stretched = Object.fromEntries(
              Object.entries(plan.byGrade).filter(([, c]) => c.stretched).map(([grade, c]) => [grade, { intervalMs: c.intervalMs, wantedIntervalMs: c.wantedIntervalMs }]),
            );
            const message = Object.keys(stretched).length === 0 ? 'cadence plan: every grade on its asked interval' : 'cadence plan: the daily call budget stretches these grades';
            logger.info({ stretched, callsPerDay: Math.round(plan.callsPerDay), dailyCallBudget: plan.dailyCallBudget }, message);
          },
        }),
  });
}
