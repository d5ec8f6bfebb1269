/** `grading`, `strategy` and `schedule.byGrade` in the policy file: defaults, overrides, and one-line refusals naming the rule. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { DEFAULT_GRADING_RULES } from '../../src/domain/default-grading.js';
import { DEFAULT_STRATEGIES } from '../../src/domain/strategy.js';
import { AppError } from '../../src/errors.js';

const cwd = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'cm-grading-'));
let files = 0;

function withPolicy(policy: unknown) {
  const file = join(dir, `policy-${files++}.json`);
  writeFileSync(file, JSON.stringify(policy));
  return loadConfig({ CM_CONFIG: file }, cwd);
}

function refusal(policy: unknown): string {
  try {
    withPolicy(policy);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CONFIG_INVALID');
    const message = (error as AppError).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('the policy was accepted');
}

const FALLBACK = { name: 'fallback', grade: 'fair', when: {} };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('grading, strategy, schedule: defaults', () => {
  it('config/default.json states exactly the built-in defaults', () => {
    const config = loadConfig({}, cwd);
    expect(config.grading).toEqual(DEFAULT_GRADING_RULES);
    expect(config.strategy).toEqual(DEFAULT_STRATEGIES);
    expect(config.scheduleByGradeMs).toEqual({ risk: HOUR, good: 2 * DAY, excellent: 7 * DAY });
  });

  it('a policy file without the keys gets the same defaults', () => {
    const config = withPolicy({});
    expect(config.grading).toEqual(DEFAULT_GRADING_RULES);
    expect(config.strategy).toEqual(DEFAULT_STRATEGIES);
    expect(config.scheduleByGradeMs).toEqual({ risk: HOUR, good: 2 * DAY, excellent: 7 * DAY });
  });
});

describe('grading: own rules', () => {
  it('takes an ordered list ending in a fallback', () => {
    const rules = [{ name: '风险-失信', grade: 'risk', when: { seriousViolations: { anyWithinYears: 5 } } }, FALLBACK];
    expect(withPolicy({ grading: rules }).grading).toEqual(rules);
  });

  it.each([
    { name: 'empty list', grading: [], says: 'key "grading" is invalid: grading: at least one rule is needed' },
    {
      name: 'unknown grade',
      grading: [{ name: 'top', grade: 'superb', when: { notFound: false } }, FALLBACK],
      says: 'grading rule "top" (number 1): grade "superb": expected one of excellent, good, fair, risk',
    },
    {
      name: 'unrated as a grade',
      grading: [{ name: 'odd', grade: 'unrated', when: { notFound: true } }, FALLBACK],
      says: 'grading rule "odd" (number 1): grade "unrated": expected one of excellent, good, fair, risk ("unrated" is only for customers not yet checked)',
    },
    {
      name: 'rate above 100',
      grading: [{ name: 'top', grade: 'excellent', when: { figures: { onTimePaymentRateAtLeast: 120 } } }, FALLBACK],
      says: 'grading rule "top" (number 1): when.figures.onTimePaymentRateAtLeast 120: expected a percentage from 0 to 100',
    },
    {
      name: 'years as text',
      grading: [{ name: 'p', grade: 'good', when: { administrativePenalties: { noneWithinYears: '3' } } }, FALLBACK],
      says: 'grading rule "p" (number 1): when.administrativePenalties.noneWithinYears "3": expected a whole number of years from 1 to 50',
    },
    {
      name: 'negative amount',
      grading: [{ name: 'o', grade: 'good', when: { figures: { overdueAmountAtMost: -1 } } }, FALLBACK],
      says: 'grading rule "o" (number 1): when.figures.overdueAmountAtMost -1: expected an amount in CNY, 0 or more',
    },
    {
      name: 'empty status list',
      grading: [{ name: 's', grade: 'risk', when: { statusIn: [] } }, FALLBACK],
      says: 'grading rule "s" (number 1): when.statusIn []: is empty',
    },
    {
      name: 'unknown status',
      grading: [{ name: 's', grade: 'risk', when: { statusIn: ['closed'] } }, FALLBACK],
      says: 'grading rule "s" (number 1): when.statusIn.0 "closed": expected statuses among active',
    },
    {
      name: 'empty list condition',
      grading: [{ name: 'a', grade: 'risk', when: { abnormalOperations: {} } }, FALLBACK],
      says: 'grading rule "a" (number 1): when.abnormalOperations {}: states no condition',
    },
    {
      name: 'unknown condition',
      grading: [{ name: 'x', grade: 'risk', when: { penalties: { inForce: true } } }, FALLBACK],
      says: 'grading rule "x" (number 1): when has an unknown key "penalties" (known: notFound, statusIn, abnormalOperations, seriousViolations, administrativePenalties, dishonestDebtors, figures)',
    },
    {
      name: 'contradicting figures conditions',
      grading: [{ name: 'f', grade: 'fair', when: { figures: { present: false, maxAgeDays: 30 } } }, FALLBACK],
      says: 'grading rule "f" (number 1): when.figures {"present":false,"maxAgeDays":30}: present: false cannot be combined',
    },
    {
      name: 'duplicate name',
      grading: [{ name: 'a', grade: 'risk', when: { notFound: true } }, { name: 'a', grade: 'risk', when: { statusIn: ['revoked'] } }, FALLBACK],
      says: 'grading rule "a" (number 2): the name is already used by rule number 1',
    },
    {
      name: 'no fallback at the end',
      grading: [{ name: 'only', grade: 'risk', when: { notFound: true } }],
      says: 'grading rule "only" (number 1): the last rule is the fallback and must have an empty "when"',
    },
    {
      name: 'a match-all rule before the end',
      grading: [{ name: 'all', grade: 'good', when: {} }, FALLBACK],
      says: 'grading rule "all" (number 1): "when" is empty, so it matches every customer',
    },
    {
      name: 'an unknown figures condition',
      grading: [{ name: 'x', grade: 'good', when: { figures: { onTimeRate: 90 } } }, FALLBACK],
      says: 'when.figures has an unknown key "onTimeRate" (known: present, maxAgeDays, olderThanDays, onTimePaymentRateAtLeast, fulfilmentRateAtLeast, overdueAmountAtMost)',
    },
    { name: 'a rule without a name', grading: [{ grade: 'risk', when: {} }], says: 'grading rule number 1: name missing: expected a name' },
    { name: 'not a list', grading: { rules: [] }, says: 'key "grading" is invalid: expected a list of rules' },
  ])('refuses $name in one line naming the rule', ({ grading, says }) => {
    expect(refusal({ grading })).toContain(says);
  });
});

describe('strategy', () => {
  it('keeps the defaults of every key left out', () => {
    const strategy = withPolicy({ strategy: { fair: { depositPercent: 50 }, risk: { newOrders: 'review' } } }).strategy;
    expect(strategy.fair).toEqual({ ...DEFAULT_STRATEGIES.fair, depositPercent: 50 });
    expect(strategy.risk).toEqual({ ...DEFAULT_STRATEGIES.risk, newOrders: 'review' });
    expect(strategy.excellent).toEqual(DEFAULT_STRATEGIES.excellent);
  });

  it.each([
    { strategy: { fair: { depositPercent: 150 } }, says: 'key "strategy.fair.depositPercent" is invalid: depositPercent: expected a percentage from 0 to 100' },
    { strategy: { good: { paymentTermDays: 12.5 } }, says: 'key "strategy.good.paymentTermDays" is invalid: paymentTermDays: expected a whole number of days' },
    { strategy: { good: { settlement: 'barter' } }, says: 'key "strategy.good.settlement" is invalid: settlement: expected one of credit, cash_on_delivery, prepayment' },
    { strategy: { risk: { newOrders: 'no' } }, says: 'key "strategy.risk.newOrders" is invalid: newOrders: expected one of allowed, review, blocked' },
    { strategy: { excellent: { settlement: 'prepayment' } }, says: 'key "strategy.excellent" is invalid: paymentTermDays must be above 0 with settlement credit' },
    { strategy: { fair: { settlement: 'credit' } }, says: 'key "strategy.fair" is invalid: paymentTermDays must be above 0 with settlement credit' },
    { strategy: { superb: {} }, says: 'key "strategy" is invalid' },
  ])('refuses $strategy', ({ strategy, says }) => {
    expect(refusal({ strategy })).toContain(says);
  });
});

describe('schedule.byGrade', () => {
  it('parses durations like CM_SCAN_INTERVAL; grades left out are absent (they follow the default interval)', () => {
    expect(withPolicy({ schedule: { byGrade: { risk: '2h', fair: '90m' } } }).scheduleByGradeMs).toEqual({ risk: 2 * HOUR, fair: 90 * 60_000 });
    expect(withPolicy({ schedule: { byGrade: {} } }).scheduleByGradeMs).toEqual({});
  });

  it.each([
    { byGrade: { risk: 'hourly' }, says: 'key "schedule.byGrade.risk" is invalid: "hourly" is not a duration' },
    { byGrade: { risk: 2 }, says: 'key "schedule.byGrade.risk" is invalid: expected a duration' },
    { byGrade: { superb: '1d' }, says: 'key "schedule.byGrade' },
  ])('refuses $byGrade', ({ byGrade, says }) => {
    expect(refusal({ schedule: { byGrade } })).toContain(says);
  });
});
