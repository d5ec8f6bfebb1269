/** `schedule` in the policy file: how often each grade is checked. */
import { z } from 'zod';
import { GRADES } from '../domain/grades.js';
import { parseDuration } from './duration.js';

const interval = z.string({ error: 'expected a duration such as "2h" or "7d"' }).transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms !== undefined) return ms;
  ctx.addIssue({ code: 'custom', message: `${JSON.stringify(text)} is not a duration: expected <number><s|m|h|d>, e.g. 90s, 15m, 2h, 7d` });
  return z.NEVER;
});

/** The intervals config/default.json states too: risk hourly, good every 2 days, excellent weekly. */
export const DEFAULT_SCHEDULE_BY_GRADE = Object.freeze({ risk: '1h', good: '2d', excellent: '7d' });

export const scheduleSchema = z
  .object({
    /**
     * Check interval per grade (`"2h"`, `"7d"`, parsed like CM_SCAN_INTERVAL); a grade left out
     * follows CM_SCAN_INTERVAL / CM_SCAN_CRON. Under `provider.dailyCallBudget` the planner may
     * stretch them (domain/grade-cadence.ts). Default risk 1h, good 2d, excellent 7d.
     */
    byGrade: z.partialRecord(z.enum(GRADES), interval).prefault(() => ({ ...DEFAULT_SCHEDULE_BY_GRADE })),
  })
  .strict()
  .prefault({});
