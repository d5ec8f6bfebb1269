/**
 * The working-day table the calendar must reproduce in every time zone. The truth is the State
 * Council's notice of 2025-11-04 on the 2026 holidays (as carried by chinese-days 1.5.7, and
 * cross-checked against its findWorkday under TZ=Asia/Shanghai):
 * 元旦 1–3 Jan (4 Jan, Sunday, worked); 春节 15–23 Feb (14 Feb and 28 Feb, Saturdays, worked);
 * 中秋 25–27 Sep; 国庆 1–7 Oct (20 Sep, Sunday, and 10 Oct, Saturday, worked).
 */
export interface WorkingDayCase {
  name: string;
  start: string;
  n: number;
  day: string;
  provisional: boolean;
}

export const WORKING_DAY_CASES: readonly WorkingDayCase[] = [
  // Start day excluded (Civil Code Art. 201).
  { name: 'Monday + 1 is Tuesday', start: '2026-03-02', n: 1, day: '2026-03-03', provisional: false },
  { name: 'Friday + 1 is Monday', start: '2026-03-06', n: 1, day: '2026-03-09', provisional: false },
  { name: 'Saturday + 1 is Monday', start: '2026-03-07', n: 1, day: '2026-03-09', provisional: false },
  { name: 'Monday + 5 is next Monday', start: '2026-03-02', n: 5, day: '2026-03-09', provisional: false },
  // New Year 2026: 1–3 Jan off, Sunday 4 Jan worked.
  { name: '2025-12-31 + 1 skips 元旦 to the make-up Sunday', start: '2025-12-31', n: 1, day: '2026-01-04', provisional: false },
  // Spring Festival 2026.
  { name: 'Friday 2026-02-13 + 1 is the make-up Saturday 02-14', start: '2026-02-13', n: 1, day: '2026-02-14', provisional: false },
  { name: 'the make-up Saturday 02-14 + 1 skips 春节 to 02-24', start: '2026-02-14', n: 1, day: '2026-02-24', provisional: false },
  { name: 'a start inside 春节 (02-18) + 1 is 02-24', start: '2026-02-18', n: 1, day: '2026-02-24', provisional: false },
  { name: 'Friday 02-27 + 1 is the make-up Saturday 02-28', start: '2026-02-27', n: 1, day: '2026-02-28', provisional: false },
  { name: '02-13 + 5 over 春节', start: '2026-02-13', n: 5, day: '2026-02-27', provisional: false },
  // Mid-Autumn and National Day 2026.
  { name: 'Saturday 09-19 + 1 is the make-up Sunday 09-20', start: '2026-09-19', n: 1, day: '2026-09-20', provisional: false },
  { name: 'Thursday 09-24 + 1 skips 中秋 to Monday 09-28', start: '2026-09-24', n: 1, day: '2026-09-28', provisional: false },
  { name: '09-30 + 1 skips 国庆 to 10-08', start: '2026-09-30', n: 1, day: '2026-10-08', provisional: false },
  { name: 'a start on 10-01 + 1 is 10-08', start: '2026-10-01', n: 1, day: '2026-10-08', provisional: false },
  { name: 'Friday 10-09 + 1 is the make-up Saturday 10-10', start: '2026-10-09', n: 1, day: '2026-10-10', provisional: false },
  { name: '09-30 + 3 is 10-10', start: '2026-09-30', n: 3, day: '2026-10-10', provisional: false },
  { name: '09-18 + 10 over 中秋 and 国庆', start: '2026-09-18', n: 10, day: '2026-10-09', provisional: false },
  // The year end: the data stops at 2026, so what reaches 2027 counts Monday–Friday, provisionally.
  { name: '12-24 + 5 stays in 2026', start: '2026-12-24', n: 5, day: '2026-12-31', provisional: false },
  { name: '12-31 + 1 is 2027-01-01 (a Friday), provisional', start: '2026-12-31', n: 1, day: '2027-01-01', provisional: true },
  { name: '12-31 + 2 is 2027-01-04, provisional', start: '2026-12-31', n: 2, day: '2027-01-04', provisional: true },
  { name: '12-24 + 6 reaches 2027, provisional', start: '2026-12-24', n: 6, day: '2027-01-01', provisional: true },
  // The missing-data year itself.
  { name: 'Monday 2027-03-01 + 5, provisional', start: '2027-03-01', n: 5, day: '2027-03-08', provisional: true },
  { name: '2027-09-30 + 1 is 10-01 (国庆 unknown: a plain Friday), provisional', start: '2027-09-30', n: 1, day: '2027-10-01', provisional: true },
];

/** Instants around midnight in Asia/Shanghai, and the day a case opened then counts from. */
export const OPENED_AT_CASES: readonly { name: string; openedAt: string; acknowledgeDay: string }[] = [
  { name: '23:59 Beijing on 09-30 counts from 09-30', openedAt: '2026-09-30T23:59:59+08:00', acknowledgeDay: '2026-10-08' },
  { name: '16:00 UTC on 09-30 is 00:00 Beijing on 10-01', openedAt: '2026-09-30T16:00:00Z', acknowledgeDay: '2026-10-08' },
  { name: '00:30 Beijing on Friday 02-13 counts from 02-13', openedAt: '2026-02-13T00:30:00+08:00', acknowledgeDay: '2026-02-14' },
  { name: '23:30 UTC on 02-12 is 07:30 Beijing on 02-13', openedAt: '2026-02-12T23:30:00Z', acknowledgeDay: '2026-02-14' },
  { name: '15:59 UTC on Thursday 02-12 is still 02-12 in Beijing', openedAt: '2026-02-12T15:59:00Z', acknowledgeDay: '2026-02-13' },
];
