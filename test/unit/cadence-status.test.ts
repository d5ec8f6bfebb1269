/** `status`'s per-grade cadence: the plan with today's figures, and its text lines. */
import { describe, expect, it } from 'vitest';
import { cadenceLines, cadenceStatus, durationText, startOfShanghaiDay } from '../../src/app/cadence-status.js';
import { planGradeCadence } from '../../src/domain/grade-cadence.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-11-27T17:30:00Z'); // 01:30 on the 28th in Beijing

describe('cadence status', () => {
  const plan = planGradeCadence({
    byGradeMs: { risk: HOUR, good: 2 * DAY, excellent: 7 * DAY },
    defaultIntervalMs: DAY,
    customers: { risk: 10, good: 100, excellent: 70 },
    callsPerCheck: 3,
    dailyCallBudget: 850,
  });

  it('counts the day in Asia/Shanghai', () => {
    expect(new Date(startOfShanghaiDay(NOW)).toISOString()).toBe('2026-11-27T16:00:00.000Z');
  });

  it('gives every grade its plan and what was checked today', () => {
    const checks = { excellent: 0, good: 0, fair: 0, risk: 130, unrated: 2 };
    const status = cadenceStatus(plan, { risk: 9, unrated: 1 }, { calls: 412, checks }, NOW);
    expect(status).toMatchObject({ day: '2026-11-28', dailyCallBudget: 850, plannedCallsPerDay: 850, callsToday: 412 });
    expect(status.byGrade.risk).toEqual({
      customers: 10, intervalMs: HOUR, wantedIntervalMs: HOUR, stretched: false, plannedChecksPerDay: 240, plannedCallsPerDay: 720, checksToday: 130, checkedToday: 9,
    });
    expect(status.byGrade.good).toMatchObject({ customers: 100, stretched: true, checkedToday: 0 });
    expect(status.byGrade.unrated).toMatchObject({ customers: 0, checksToday: 2, checkedToday: 1 });
    // Without Redis: nothing counted there, the store's figures still given.
    const offline = cadenceStatus(plan, { risk: 9 }, null, NOW);
    expect(offline.callsToday).toBeNull();
    expect(offline.byGrade.risk).toMatchObject({ checksToday: null, checkedToday: 9 });
      });

  it('prints a line per grade with customers or checks, the stretch named', () => {
    const lines = cadenceLines(cadenceStatus(plan, { risk: 9 }, null, NOW));
    expect(lines[0]).toBe('cadence on 2026-11-28 (budget 850 calls/day, planned 850 calls/day):');
    expect(lines[1]).toBe('  excellent: 70 customer(s) every 7d, planned 10 checks (30 calls) a day; today 0 checked');
    expect(lines[2]).toBe('  good: 100 customer(s) every 3d (stretched from 2d by the budget), planned 33.3 checks (100 calls) a day; today 0 checked');
    expect(lines[3]).toBe('  risk: 10 customer(s) every 1h, planned 240 checks (720 calls) a day; today 9 checked');
    expect(lines).toHaveLength(4);
    const counted = cadenceLines(cadenceStatus(plan, { risk: 9 }, { calls: 412, checks: { excellent: 0, good: 0, fair: 1, risk: 130, unrated: 0 } }, NOW));
    expect(counted[0]).toBe('cadence on 2026-11-28 (budget 850 calls/day, planned 850 calls/day, 412 calls so far):');
    expect(counted[3]).toBe('  fair: 0 customer(s) every 24h, planned 0 checks (0 calls) a day; today 0 checked, 1 checks');
    expect(counted[4]).toBe('  risk: 10 customer(s) every 1h, planned 240 checks (720 calls) a day; today 9 checked, 130 checks');
  });

  it('says so when there is nobody to check', () => {
    const empty = planGradeCadence({ byGradeMs: {}, defaultIntervalMs: DAY, customers: {}, callsPerCheck: 3, dailyCallBudget: null });
    const none = { excellent: 0, good: 0, fair: 0, risk: 0, unrated: 0 };
    expect(cadenceLines(cadenceStatus(empty, {}, { calls: 0, checks: none }, NOW))).toEqual([
      'cadence on 2026-11-28 (no daily call budget, planned 0 calls/day, 0 calls so far):',
      '  no customers',
    ]);
  });

  it.each([
    [2_000, '2s'], [1_500, '1.5s'], [45 * 60_000, '45m'], [HOUR, '1h'], [36 * HOUR, '36h'], [2 * DAY, '2d'], [93.33 * HOUR, '3.9d'],
  ])('durationText(%d) = %s', (ms, text) => {
    expect(durationText(ms)).toBe(text);
  });
});
