/**
 * The default grading rules (config/default.json carries the same list, and a test keeps the two
 * equal). They follow the seed article: any entry in force on the abnormal-operations or the serious
 * list, a dishonest-debtor entry, a terminal status or "no such company" is 风险 at once; 优质 needs no
 * administrative penalty and no serious-list entry in 3 years, fulfilment 100 % and on-time payment
 * ≥ 98 %. In between (our choice, see the README): liquidating is 风险 (it may only wind up, Company
 * Law Art. 236); suspended, relocated-out and unknown statuses are 一般 until someone looks; a removed
 * listing keeps the customer at 一般 for a while (12 months after an abnormal-operations or
 * dishonest-debtor removal, 24 after a serious-list one); 良好 needs fresh figures with fulfilment
 * ≥ 95 % and on-time payment ≥ 90 %; everyone else is 一般 (no figures, stale figures, weaker figures).
 */
import type { GradingRule } from './grading-rules.js';

/** Figures older than this many days are stale: they can no longer earn 优质 or 良好. */
const FRESH_DAYS = 365;

export const DEFAULT_GRADING_RULES: readonly GradingRule[] = Object.freeze([
  { name: 'not-found', grade: 'risk', when: { notFound: true } },
  { name: 'terminal-status', grade: 'risk', when: { statusIn: ['revoked', 'cancelled', 'withdrawn'] } },
  { name: 'serious-violation-in-force', grade: 'risk', when: { seriousViolations: { inForce: true } } },
  { name: 'abnormal-operations-in-force', grade: 'risk', when: { abnormalOperations: { inForce: true } } },
  { name: 'dishonest-debtor-in-force', grade: 'risk', when: { dishonestDebtors: { inForce: true } } },
  { name: 'liquidating', grade: 'risk', when: { statusIn: ['liquidating'] } },
  { name: 'not-active', grade: 'fair', when: { statusIn: ['suspended', 'relocated_out', 'unknown'] } },
  { name: 'serious-violation-removed-recently', grade: 'fair', when: { seriousViolations: { removedWithinMonths: 24 } } },
  { name: 'abnormal-operations-removed-recently', grade: 'fair', when: { abnormalOperations: { removedWithinMonths: 12 } } },
  { name: 'dishonest-debtor-removed-recently', grade: 'fair', when: { dishonestDebtors: { removedWithinMonths: 12 } } },
  {
    name: 'excellent',
    grade: 'excellent',
    when: {
      statusIn: ['active'],
      seriousViolations: { noneWithinYears: 3 },
      administrativePenalties: { noneWithinYears: 3 },
      figures: { maxAgeDays: FRESH_DAYS, fulfilmentRateAtLeast: 100, onTimePaymentRateAtLeast: 98 },
    },
  },
  {
    name: 'good',
    grade: 'good',
    when: { statusIn: ['active'], figures: { maxAgeDays: FRESH_DAYS, fulfilmentRateAtLeast: 95, onTimePaymentRateAtLeast: 90 } },
  },
  { name: 'no-figures', grade: 'fair', when: { figures: { present: false } } },
  { name: 'stale-figures', grade: 'fair', when: { figures: { olderThanDays: FRESH_DAYS } } },
  { name: 'fallback', grade: 'fair', when: {} },
]);
