/** The cadence planner: asked intervals within budget, stretching least risky grades first, weekly floor, never over budget. */
import { describe, expect, it } from 'vitest';
import { planGradeCadence, type CadenceInput } from '../../src/domain/grade-cadence.js';
import { GRADES, type Grade } from '../../src/domain/grades.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** The portfolio: 100,000 customers, 2 % risk, 18 % fair, 40 % good, 40 % excellent. */
const PORTFOLIO = { risk: 2_000, fair: 18_000, good: 40_000, excellent: 40_000 };
const FLAT_DAILY = 100_000 * 3;
const EAGER = { risk: HOUR, fair: 12 * HOUR, good: DAY, excellent: WEEK };

const input = (overrides: Partial<CadenceInput> = {}): CadenceInput => ({
  byGradeMs: EAGER,
  defaultIntervalMs: DAY,
  customers: PORTFOLIO,
  callsPerCheck: 3,
  dailyCallBudget: FLAT_DAILY,
  ...overrides,
});

/** Intervals in hours, rounded to 0.01 h, for readable tables. */
const hours = (plan: ReturnType<typeof planGradeCadence>): Partial<Record<Grade, number>> =>
  Object.fromEntries(GRADES.filter((g) => plan.byGrade[g].customers > 0).map((g) => [g, Math.round((plan.byGrade[g].intervalMs / HOUR) * 100) / 100]));

describe('planGradeCadence', () => {
  it.each([
    { name: 'no budget: the asked intervals', over: { dailyCallBudget: null }, want: { risk: 1, fair: 12, good: 24, excellent: 168 } },
    {
      name: 'the shipped defaults fit a flat daily budget untouched',
      over: { byGradeMs: { risk: HOUR, good: 2 * DAY, excellent: WEEK } },
      want: { risk: 1, fair: 24, good: 48, excellent: 168 },
    },
    // Excellent already asks weekly; good gives way (to about 3.9 days), risk and fair keep theirs.
    { name: 'over budget: good stretches first (excellent is at weekly)', over: {}, want: { risk: 1, fair: 12, good: 93.33, excellent: 168 } },
    { name: 'a tighter budget: good to weekly, then fair', over: { dailyCallBudget: 200_000 }, want: { risk: 1, fair: 59.68, good: 168, excellent: 168 } },
    { name: 'tighter still: risk gives way last', over: { dailyCallBudget: 100_000 }, want: { risk: 2.48, fair: 168, good: 168, excellent: 168 } },
    { name: 'below a weekly sweep: everyone beyond weekly, by one factor', over: { dailyCallBudget: 15_000 }, want: { risk: 480, fair: 480, good: 480, excellent: 480 } },
    {
      name: 'unrated gives way after fair and before risk',
      over: { customers: { ...PORTFOLIO, unrated: 1_000 }, dailyCallBudget: 101_000 },
      want: { risk: 2.46, fair: 168, good: 168, excellent: 168, unrated: 168 },
    },
    {
      name: 'an interval asked longer than weekly is kept, never shortened',
      over: { byGradeMs: { ...EAGER, excellent: 30 * DAY }, dailyCallBudget: null },
      want: { risk: 1, fair: 12, good: 24, excellent: 720 },
    },
  ])('$name', ({ over, want }) => {
    const plan = planGradeCadence(input(over));
    expect(hours(plan)).toEqual(want);
    if (plan.dailyCallBudget !== null) expect(plan.callsPerDay).toBeLessThanOrEqual(plan.dailyCallBudget);
  });

  it('says which grades were stretched and what they cost', () => {
    const plan = planGradeCadence(input());
    expect(GRADES.filter((g) => plan.byGrade[g].stretched)).toEqual(['good']);
    expect(plan.byGrade.risk).toEqual({ intervalMs: HOUR, wantedIntervalMs: HOUR, customers: 2_000, callsPerDay: 144_000, stretched: false });
    expect(plan.callsPerDay).toBeGreaterThan(FLAT_DAILY - 1);
    expect(plan.callsPerDay).toBeLessThanOrEqual(FLAT_DAILY);
  });

  it('a grade without customers costs nothing and is left as asked', () => {
    const plan = planGradeCadence(input({ customers: { risk: 10 } }));
    expect(plan.byGrade.excellent).toMatchObject({ customers: 0, callsPerDay: 0, stretched: false, intervalMs: WEEK });
    expect(plan.byGrade.unrated.intervalMs).toBe(DAY);
  });

  it('keeps an asked interval exactly, stretched ones rounded up to whole seconds', () => {
    const plan = planGradeCadence(input({ byGradeMs: { ...EAGER, risk: 1_500 }, customers: { risk: 1 }, dailyCallBudget: null }));
    expect(plan.byGrade.risk.intervalMs).toBe(1_500);
    const stretched = planGradeCadence(input());
    expect(stretched.byGrade.good.intervalMs % 1000).toBe(0);
  });

  // Any portfolio, any asked intervals up to weekly, any budget that allows a flat daily sweep:
  // never over budget, no grade worse than weekly, risk stretched only once every other grade is weekly.
  it('holds its promises over many portfolios and budgets', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let run = 0; run < 500; run++) {
      const customers = Object.fromEntries(GRADES.map((g) => [g, Math.floor(random() * 50_000)])) as Record<Grade, number>;
      const byGradeMs = Object.fromEntries(GRADES.map((g) => [g, Math.ceil(random() * WEEK)])) as Record<Grade, number>;
      const callsPerCheck = 3 + Math.floor(random() * 3);
      const flat = GRADES.reduce((sum, g) => sum + customers[g], 0) * callsPerCheck;
      const budget = Math.max(1, Math.ceil(flat * (1 + random())));
      const plan = planGradeCadence({ byGradeMs, defaultIntervalMs: DAY, customers, callsPerCheck, dailyCallBudget: budget });
      expect(plan.callsPerDay).toBeLessThanOrEqual(budget * (1 + 1e-9));
      for (const g of GRADES) expect(plan.byGrade[g].intervalMs).toBeLessThanOrEqual(WEEK);
      if (plan.byGrade.risk.stretched) {
        for (const g of GRADES.filter((other) => other !== 'risk' && customers[other] > 0)) expect(plan.byGrade[g].intervalMs).toBe(WEEK);
      }
    }
  });
});
