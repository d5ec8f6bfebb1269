/** Case deadlines from the day a case opened, when they are overdue, and the calendar's warning. */
import { describe, expect, it } from 'vitest';
import { createChineseDaysCalendar } from '../../src/calendar/chinese-days-calendar.js';
import {
  calendarWarning,
  caseDeadlines,
  DEFAULT_CASE_DEADLINES,
  isOverdue,
  longestDeadlineDays,
  nextDue,
  overdueToRaise,
} from '../../src/domain/case-deadlines.js';
import type { CaseDeadline, CaseState } from '../../src/domain/cases.js';
import { OPENED_AT_CASES } from '../helpers/calendar-cases.js';

const calendar = createChineseDaysCalendar();
const at = (iso: string): number => Date.parse(iso);

describe('caseDeadlines', () => {
  it.each(OPENED_AT_CASES)('$name', ({ openedAt, acknowledgeDay }) => {
    expect(caseDeadlines(calendar, at(openedAt), { acknowledgeDays: 1, resolveDays: 1 }).acknowledgeDue.day).toBe(acknowledgeDay);
  });

  it('counts both deadlines of a high case opened before 国庆', () => {
    // Opened Wednesday 09-30 14:00 Beijing: ack 2 working days (10-08, 10-09); resolve 10, the make-up
    // Saturday 10-10 among them (→ 10-20).
    expect(caseDeadlines(calendar, at('2026-09-30T14:00:00+08:00'), DEFAULT_CASE_DEADLINES.high)).toEqual({
      acknowledgeDue: { day: '2026-10-09', dueAt: at('2026-10-10T00:00:00+08:00'), provisional: false },
      resolveDue: { day: '2026-10-20', dueAt: at('2026-10-21T00:00:00+08:00'), provisional: false },
    });
  });

  it('marks the deadline that reaches 2027 provisional and not the other', () => {
    const due = caseDeadlines(calendar, at('2026-12-28T10:00:00+08:00'), { acknowledgeDays: 2, resolveDays: 5 });
    expect([due.acknowledgeDue.day, due.acknowledgeDue.provisional, due.resolveDue.day, due.resolveDue.provisional]).toEqual([
      '2026-12-30',
      false,
      '2027-01-04',
      true,
    ]);
  });
});

function deadline(day: string): CaseDeadline {
  return { day, dueAt: at(`${day}T16:00:00Z`), provisional: false };
}

function record(state: CaseState, raised: { acknowledge?: number; resolve?: number } = {}) {
  return {
    state,
    acknowledgeDue: deadline('2026-10-09'),
    resolveDue: deadline('2026-10-21'),
    overdueRaisedAt: { acknowledge: raised.acknowledge ?? null, resolve: raised.resolve ?? null },
  };
}

describe('overdue', () => {
  const ackDue = at('2026-10-09T16:00:00Z');
  const resolveDue = at('2026-10-21T16:00:00Z');

  it.each([
    { state: 'open', kind: 'acknowledge', when: '1 ms before dueAt', now: ackDue - 1, overdue: false },
    { state: 'open', kind: 'acknowledge', when: 'at dueAt', now: ackDue, overdue: true },
    { state: 'acknowledged', kind: 'acknowledge', when: 'after dueAt', now: ackDue + 1, overdue: false },
    { state: 'open', kind: 'resolve', when: '1 ms before dueAt', now: resolveDue - 1, overdue: false },
    { state: 'open', kind: 'resolve', when: 'at dueAt', now: resolveDue, overdue: true },
    { state: 'acknowledged', kind: 'resolve', when: 'at dueAt', now: resolveDue, overdue: true },
    { state: 'resolved', kind: 'resolve', when: 'after dueAt', now: resolveDue + 1, overdue: false },
  ] as const)('$kind, $state case, $when: overdue $overdue', ({ state, kind, now, overdue }) => {
    expect(isOverdue(kind, record(state), now)).toBe(overdue);
  });

  it('raises each missed deadline once', () => {
    expect(overdueToRaise(record('open'), resolveDue)).toEqual(['acknowledge', 'resolve']);
    expect(overdueToRaise(record('open', { acknowledge: ackDue }), resolveDue)).toEqual(['resolve']);
    expect(overdueToRaise(record('acknowledged', { acknowledge: ackDue }), resolveDue - 1)).toEqual([]);
  });

  it('names the next deadline by state', () => {
    expect(nextDue(record('open'))).toEqual({ kind: 'acknowledge', due: deadline('2026-10-09') });
    expect(nextDue(record('acknowledged'))).toEqual({ kind: 'resolve', due: deadline('2026-10-21') });
    expect(nextDue(record('resolved'))).toBeUndefined();
  });
});

describe('calendarWarning', () => {
  const line =
    '工作日历缺少2027年的节假日数据，跨年期限按周一至周五计算并标记为暂定 / the working-day calendar has no data for 2027: deadlines reaching it count Monday–Friday and are marked provisional';

  it.each([
    { name: 'deadlines that stay in 2026', now: '2026-12-01T09:00:00+08:00', horizon: 20, overrides: undefined, warning: undefined },
    { name: 'deadlines that reach 2027', now: '2026-12-01T09:00:00+08:00', horizon: 30, overrides: undefined, warning: line },
    { name: 'the last day of 2026', now: '2026-12-31T23:00:00+08:00', horizon: 1, overrides: undefined, warning: line },
    { name: 'already in 2027', now: '2027-03-01T09:00:00+08:00', horizon: 1, overrides: undefined, warning: line },
    { name: 'the override file covers 2027', now: '2026-12-01T09:00:00+08:00', horizon: 30, overrides: { years: [2027], holidays: [], workdays: [] }, warning: undefined },
  ])('$name', ({ now, horizon, overrides, warning }) => {
    expect(calendarWarning(createChineseDaysCalendar(overrides), at(now), horizon)).toBe(warning);
  });

  it('names the first missing year', () => {
    const covered2027 = createChineseDaysCalendar({ years: [2027], holidays: [], workdays: [] });
    expect(calendarWarning(covered2027, at('2027-12-20T09:00:00+08:00'), 10)).toMatch(/^工作日历缺少2028年.* no data for 2028:/);
  });

  it('reaches as far as the longest configured deadline', () => {
    expect(longestDeadlineDays(DEFAULT_CASE_DEADLINES)).toBe(30);
    expect(longestDeadlineDays({ high: { acknowledgeDays: 40, resolveDays: 40 } })).toBe(40);
  });
});
