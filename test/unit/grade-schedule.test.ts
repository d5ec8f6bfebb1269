/** Cadence by grade at run time: each grade's next check from the plan, the spread, the cached count, and the configured wiring. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGradeSchedule, PLAN_MAX_AGE_MS, type GradeScheduleDeps } from '../../src/app/grade-schedule.js';
import { loadConfig } from '../../src/config/load-config.js';
import { scanPeriodMs } from '../../src/config/next-check.js';
import { spreadCheckAt, SPREAD_SHARE, type CadencePlan } from '../../src/domain/grade-cadence.js';
import type { Grade } from '../../src/domain/grades.js';
import { configuredGradeSchedule } from '../../src/wiring/configured-grade-schedule.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-11-27T02:00:00Z'); // 10:00 in Beijing

function scheduleWith(overrides: Partial<GradeScheduleDeps> = {}) {
  let now = T0;
  let counts = 0;
  let customers: Partial<Record<Grade, number>> = { risk: 10, good: 100, excellent: 100 };
  const plans: CadencePlan[] = [];
  const schedule = createGradeSchedule({
    countByGrade: () => {
      counts += 1;
      return Promise.resolve(customers);
    },
    byGradeMs: { risk: HOUR, good: 2 * DAY, excellent: 7 * DAY },
    defaultNextCheckAt: (checkedAt) => checkedAt + DAY,
    defaultIntervalMs: DAY,
    defaultIsCron: false,
    callsPerCheck: 3,
    dailyCallBudget: null,
    clock: () => now,
    random: () => 0,
    onStretchChanged: (plan) => plans.push(plan),
    ...overrides,
  });
  return {
    schedule,
    plans,
    counts: () => counts,
    advance: (ms: number) => { now += ms; },
    setCustomers: (next: Partial<Record<Grade, number>>) => { customers = next; },
  };
}

describe('spreadCheckAt', () => {
  it.each([
    { fraction: 0, want: T0 + HOUR },
    { fraction: 0.5, want: T0 + HOUR + (HOUR * SPREAD_SHARE) / 2 },
    { fraction: 0.999_999, want: T0 + HOUR + Math.floor(HOUR * SPREAD_SHARE * 0.999_999) },
    { fraction: -1, want: T0 + HOUR },
    { fraction: 2, want: T0 + HOUR + HOUR * SPREAD_SHARE },
  ])('fraction $fraction: never before the interval, at most a tenth after it', ({ fraction, want }) => {
    expect(spreadCheckAt(T0, HOUR, fraction)).toBe(want);
  });
});

describe('scanPeriodMs', () => {
  it.each([
    { name: 'the interval itself', schedule: { intervalMs: 6 * HOUR, cron: undefined }, want: 6 * HOUR },
    { name: 'a daily cron: a day', schedule: { intervalMs: 0, cron: '0 8 * * *' }, want: DAY },
    { name: 'every 30 minutes', schedule: { intervalMs: 0, cron: '*/30 * * * *' }, want: HOUR / 2 },
    { name: 'weekdays at 08:00: a week over 5 times', schedule: { intervalMs: 0, cron: '0 8 * * 1-5' }, want: (7 * DAY) / 5 },
  ])('$name', ({ schedule, want }) => {
    expect(scanPeriodMs(schedule, T0)).toBeCloseTo(want, -3);
  });
});

describe('createGradeSchedule', () => {
  it('gives each grade its own interval, the spread on top, and the default to a grade not named', async () => {
    const { schedule } = scheduleWith({ random: () => 0.5 });
    const spread = (ms: number) => ms + (ms * SPREAD_SHARE) / 2;
    expect(await schedule.nextCheckAt(T0, 'risk')).toBe(T0 + spread(HOUR));
    expect(await schedule.nextCheckAt(T0, 'good')).toBe(T0 + spread(2 * DAY));
    expect(await schedule.nextCheckAt(T0, 'fair')).toBe(T0 + spread(DAY));
    expect(await schedule.nextCheckAt(T0, 'unrated')).toBe(T0 + spread(DAY));
  });

  it('keeps the cron times for grades on a cron default, and intervals for the grades named', async () => {
    const cronNext = T0 + 22 * HOUR;
    const { schedule } = scheduleWith({ defaultIsCron: true, defaultNextCheckAt: () => cronNext });
    expect(await schedule.nextCheckAt(T0, 'fair')).toBe(cronNext);
    expect(await schedule.nextCheckAt(T0, 'risk')).toBe(T0 + HOUR);
  });

  it('stretches under the budget (excellent first), and a cron grade the budget stretched goes on the interval', async () => {
    // 10 risk hourly = 720 calls/day; 100 good every 2 days = 150; 100 excellent weekly ≈ 43; 50 fair daily = 150.
    const { schedule, setCustomers, plans } = scheduleWith({ dailyCallBudget: 900, defaultIsCron: true, defaultNextCheckAt: () => T0 + 5 * HOUR });
    setCustomers({ risk: 10, good: 100, excellent: 100, fair: 50 });
    const plan = await schedule.plan();
    expect(plan.callsPerDay).toBeLessThanOrEqual(900);
    expect(plan.byGrade.risk).toMatchObject({ intervalMs: HOUR, stretched: false });
    expect(plan.byGrade.good.stretched).toBe(true);
    expect(plan.byGrade.fair.stretched).toBe(true);
    expect(await schedule.nextCheckAt(T0, 'fair')).toBe(T0 + plan.byGrade.fair.intervalMs);
    expect(plans).toHaveLength(1);
  });

  it('counts the register once per max age, again on refresh, and once for checks asking together', async () => {
    const { schedule, counts, advance, setCustomers, plans } = scheduleWith({ dailyCallBudget: 1_000 });
    await Promise.all([schedule.nextCheckAt(T0, 'risk'), schedule.nextCheckAt(T0, 'good'), schedule.plan()]);
    expect(counts()).toBe(1);
    advance(PLAN_MAX_AGE_MS - 1);
    await schedule.nextCheckAt(T0, 'risk');
    expect(counts()).toBe(1);
    advance(1);
    await schedule.plan();
    expect(counts()).toBe(2);
    await schedule.refresh();
    expect(counts()).toBe(3);
    expect(plans).toHaveLength(0);
    // Ten times the risk customers: over budget, so the plan stretches and says so once.
    setCustomers({ risk: 100, good: 100, excellent: 100 });
    await schedule.refresh();
    await schedule.refresh();
    expect(plans.map((p) => p.byGrade.good.stretched)).toEqual([true]);
  });
});

describe('configuredGradeSchedule', () => {
  const cwd = new URL('../../', import.meta.url).pathname;
  const dir = mkdtempSync(join(tmpdir(), 'cm-schedule-'));
  const withPolicy = (policy: unknown, env: Record<string, string> = {}) => {
    const file = join(dir, `policy-${Object.keys(env).length}-${JSON.stringify(policy).length}.json`);
    writeFileSync(file, JSON.stringify(policy));
    return loadConfig({ CM_CONFIG: file, ...env }, cwd);
  };

  it('counts calls per check from the sections that are on', async () => {
    const config = withPolicy({ provider: { sections: { administrativePenalties: true, dishonestDebtors: true } } });
    const schedule = configuredGradeSchedule(config, { countByGrade: () => Promise.resolve({ good: 1 }), clock: () => T0 });
    expect((await schedule.plan()).byGrade.good.callsPerDay).toBe(5 / 2);
  });

  it('plans from schedule.byGrade, CM_SCAN_INTERVAL, the sections and provider.dailyCallBudget', async () => {
    const config = withPolicy(
      { schedule: { byGrade: { risk: '2s', excellent: '7d' } }, provider: { dailyCallBudget: 200_000 } },
      { CM_SCAN_INTERVAL: '1h' },
    );
    const schedule = configuredGradeSchedule(config, { countByGrade: () => Promise.resolve({ risk: 1, fair: 2 }), clock: () => T0, random: () => 0 });
    const plan = await schedule.plan();
    expect(plan.dailyCallBudget).toBe(200_000);
    expect(plan.byGrade.risk).toMatchObject({ intervalMs: 2_000, customers: 1, callsPerDay: 3 * 43_200, stretched: false });
    expect(plan.byGrade.fair).toMatchObject({ wantedIntervalMs: HOUR, customers: 2, stretched: false });
    expect(await schedule.nextCheckAt(T0, 'fair')).toBe(T0 + HOUR);
  });

  it('keeps CM_SCAN_CRON times for the grades it covers', async () => {
    const config = withPolicy({ schedule: { byGrade: { risk: '1h' } } }, { CM_SCAN_CRON: '0 8 * * *' });
    const schedule = configuredGradeSchedule(config, { countByGrade: () => Promise.resolve({ risk: 1, good: 1 }), clock: () => T0, random: () => 0 });
    expect(new Date(await schedule.nextCheckAt(T0, 'good')).toISOString()).toBe('2026-11-28T00:00:00.000Z');
    expect(await schedule.nextCheckAt(T0, 'risk')).toBe(T0 + HOUR);
  });
});
