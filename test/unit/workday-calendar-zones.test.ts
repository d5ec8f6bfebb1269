/**
 * The calendar and case deadlines give the same answers whatever the process's time zone: each
 * zone is switched on for real (Node re-reads process.env.TZ), checked to be in effect, and the whole
 * table is run again under it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createChineseDaysCalendar } from '../../src/calendar/chinese-days-calendar.js';
import { caseDeadlines } from '../../src/domain/case-deadlines.js';
import { addWorkingDays } from '../../src/domain/workday-calendar.js';
import { OPENED_AT_CASES, WORKING_DAY_CASES } from '../helpers/calendar-cases.js';

const calendar = createChineseDaysCalendar();
const original = process.env.TZ;

function answers() {
  return {
    working: WORKING_DAY_CASES.map(({ start, n }) => addWorkingDays(calendar, start, n)),
    opened: OPENED_AT_CASES.map(({ openedAt }) => caseDeadlines(calendar, Date.parse(openedAt), { acknowledgeDays: 1, resolveDays: 20 })),
  };
}

// Minutes west of UTC on 2026-07-01, as Date reports them: proof that the zone took effect.
const ZONES = [
  { zone: 'UTC', offset: 0 },
  { zone: 'Asia/Shanghai', offset: -480 },
  { zone: 'America/Los_Angeles', offset: 420 },
  { zone: 'Pacific/Kiritimati', offset: -840 },
  { zone: 'Pacific/Pago_Pago', offset: 660 },
];

afterAll(() => {
  if (original === undefined) delete process.env.TZ;
  else process.env.TZ = original;
});

describe('time zones', () => {
  process.env.TZ = 'UTC';
  const reference = answers();

  it('the reference run holds the table', () => {
    expect(reference.working.map((r) => [r.day, r.provisional])).toEqual(WORKING_DAY_CASES.map((c) => [c.day, c.provisional]));
    expect(reference.opened.map((r) => r.acknowledgeDue.day)).toEqual(OPENED_AT_CASES.map((c) => c.acknowledgeDay));
  });

  it.each(ZONES)('$zone gives the same answers', ({ zone, offset }) => {
    process.env.TZ = zone;
    expect(new Date(Date.UTC(2026, 6, 1)).getTimezoneOffset()).toBe(offset);
    expect(answers()).toEqual(reference);
  });
});
