/** `cases`, `clocks` and `calendar` in the policy file: when a case opens, its deadlines, the listing clock. */
import { z } from 'zod';
import { DEFAULT_CASE_DEADLINES } from '../domain/case-deadlines.js';
import { TIERS, type Tier } from '../domain/events.js';

/** Working days, the day a case opened excluded: at least 1, at most a year's worth. */
const workingDays = z.number().int().min(1).max(365);

function tierDeadlinesSchema(tier: Tier) {
  const defaults = DEFAULT_CASE_DEADLINES[tier];
  return z
    .object({
      /** Working days to acknowledge a case of this tier. */
      acknowledgeDays: workingDays.default(defaults.acknowledgeDays),
      /** Working days to resolve it; not fewer than acknowledgeDays. */
      resolveDays: workingDays.default(defaults.resolveDays),
    })
    .strict()
    .refine((d) => d.resolveDays >= d.acknowledgeDays, {
      error: 'resolveDays must not be less than acknowledgeDays',
      path: ['resolveDays'],
    })
    .prefault({});
}

export const casesSchema = z
  .object({
    /**
     * The least severe tier whose events open (or join) a case. Default medium. null: no cases (a
     * group that runs its cases elsewhere); escalation then re-sends each unacknowledged event.
     */
    openAt: z.enum(TIERS).nullable().default('medium'),
    /**
     * `cases.deadlines.<tier>`: acknowledgeDays / resolveDays in working days; a tier or a field left
     * out keeps its default (critical 1/5, high 2/10, medium 5/20, low 10/30, info 10/30).
     */
    deadlines: z
      .object({
        critical: tierDeadlinesSchema('critical'),
        high: tierDeadlinesSchema('high'),
        medium: tierDeadlinesSchema('medium'),
        low: tierDeadlinesSchema('low'),
        info: tierDeadlinesSchema('info'),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

export const clocksSchema = z
  .object({
    /** Days before the third anniversary of an abnormal-operations listing that escalation_due is raised. Default 60. */
    escalationWarningDays: z.number().int().min(1).max(365).default(60),
  })
  .strict()
  .prefault({});

export const calendarSchema = z
  .object({
    /**
     * The override file (holidays, make-up days, covered years), relative to the policy file's
     * directory; null: none. Default `calendar.json` beside the policy file, used when it exists.
     */
    overridesFile: z.string().trim().min(1, 'expected a file path, or null for none').nullable().optional(),
  })
  .strict()
  .prefault({});
