/** The working-day calendar: chinese-days' data, the Civil Code's counting, the override file, the missing year. */
import chineseDays from 'chinese-days';
import { describe, expect, it } from 'vitest';
import { chineseDaysData, createChineseDaysCalendar } from '../../src/calendar/chinese-days-calendar.js';
import { daysAfter } from '../../src/domain/calendar-days.js';
import { addWorkingDays, createWorkdayCalendar, endOfShanghaiDay, NO_CALENDAR_DAYS } from '../../src/domain/workday-calendar.js';
import { WORKING_DAY_CASES } from '../helpers/calendar-cases.js';

const calendar = createChineseDaysCalendar();

describe('addWorkingDays over chinese-days 1.5.7', () => {
  it.each(WORKING_DAY_CASES)('$name', ({ start, n, day, provisional }) => {
    expect(addWorkingDays(calendar, start, n)).toEqual({ day, dueAt: Date.parse(`${daysAfter(day, 1)}T00:00:00+08:00`), provisional });
  });

  it('is due at the end of the due day in Beijing: the next day 00:00 +08:00', () => {
    const due = addWorkingDays(calendar, '2026-09-30', 1);
    expect(new Date(due.dueAt).toISOString()).toBe('2026-10-08T16:00:00.000Z');
    expect(endOfShanghaiDay('2026-12-31')).toBe(Date.parse('2027-01-01T00:00:00+08:00'));
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses %s working days', (n) => {
    expect(() => addWorkingDays(calendar, '2026-03-02', n)).toThrow(RangeError);
  });
});

describe('the official data', () => {
  it('covers 2004–2026, read from the data, not written down', () => {
    expect(calendar.lastCoveredYear).toBe(2026);
    expect(chineseDaysData().years).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
    expect([calendar.covers('2003-12-31'), calendar.covers('2004-01-01'), calendar.covers('2026-12-31'), calendar.covers('2027-01-01')]).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });

  it('agrees with chinese-days isWorkday on every day 2004–2026', () => {
    const disagreements: string[] = [];
    for (let day = '2004-01-01'; day <= '2026-12-31'; day = daysAfter(day, 1)) {
      if (calendar.isWorkday(day) !== chineseDays.isWorkday(day)) disagreements.push(day);
    }
    expect(disagreements).toEqual([]);
  });

  it('takes a day in lieu as a holiday even when a release lists it only there', () => {
    const layer = chineseDaysData({ holidays: {}, workdays: {}, inLieuDays: { '2026-03-04': 'x,y,1' } });
    expect(createWorkdayCalendar(layer).isWorkday('2026-03-04')).toBe(false);
  });

  it('past the data, guesses Monday–Friday (and covers() says so)', () => {
    expect(['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04'].map((d) => calendar.isWorkday(d))).toEqual([true, false, false, true]);
  });
});

describe('the override file', () => {
  // A 2027 notice before chinese-days has it (illustrative days, not the real notice).
  const notice2027 = { years: [2027], holidays: ['2027-01-01', '2027-02-08', '2027-02-09'], workdays: ['2027-02-07'] };

  it.each([
    { name: 'a covered year is no longer provisional', overrides: notice2027, start: '2026-12-31', n: 1, day: '2027-01-04', provisional: false },
    { name: 'a make-up Sunday of the covered year', overrides: notice2027, start: '2027-02-05', n: 1, day: '2027-02-07', provisional: false },
    { name: 'holidays of the covered year', overrides: notice2027, start: '2027-02-07', n: 1, day: '2027-02-10', provisional: false },
    { name: 'a day named outside its years stays provisional', overrides: { ...notice2027, years: [] }, start: '2026-12-31', n: 1, day: '2027-01-04', provisional: true },
    { name: 'a company holiday in a covered year', overrides: { years: [], holidays: ['2026-03-09'], workdays: [] }, start: '2026-03-06', n: 1, day: '2026-03-10', provisional: false },
    { name: 'a company working Saturday', overrides: { years: [], holidays: [], workdays: ['2026-03-07'] }, start: '2026-03-06', n: 1, day: '2026-03-07', provisional: false },
    { name: 'an override beats the official data', overrides: { years: [], holidays: [], workdays: ['2026-10-07'] }, start: '2026-09-30', n: 1, day: '2026-10-07', provisional: false },
    { name: 'no overrides', overrides: NO_CALENDAR_DAYS, start: '2026-12-31', n: 1, day: '2027-01-01', provisional: true },
  ])('$name', ({ overrides, start, n, day, provisional }) => {
    expect(addWorkingDays(createChineseDaysCalendar(overrides), start, n)).toMatchObject({ day, provisional });
  });

  it('extends lastCoveredYear only through years without a gap', () => {
    expect(createChineseDaysCalendar({ years: [2027, 2028], holidays: [], workdays: [] }).lastCoveredYear).toBe(2028);
    const gap = createChineseDaysCalendar({ years: [2028], holidays: [], workdays: [] });
    expect([gap.lastCoveredYear, gap.covers('2027-06-01'), gap.covers('2028-06-01')]).toEqual([2026, false, true]);
  });
});
