import { CronExpressionParser } from 'cron-parser';

/** The zone schedules are read in (DESIGN "Queues": cron in Asia/Shanghai). */
const SCHEDULE_TZ = 'Asia/Shanghai';

/**
 * Checks a `CM_SCAN_CRON` expression: 5 or 6 fields (no `@daily` aliases, no 7-field years) that
 * cron-parser reads in Asia/Shanghai. The one rule, called by configuration at load time; a
 * refusal's `reason` completes "CM_SCAN_CRON=… is invalid: ".
 */
export function parseScanCron(text: string): { ok: true; cron: string } | { ok: false; reason: string } {
  const cron = text.trim();
  const fields = cron.split(/\s+/).length;
  if (fields !== 5 && fields !== 6) return { ok: false, reason: 'expected a cron expression with 5 or 6 fields' };
  try {
    CronExpressionParser.parse(cron, { tz: SCHEDULE_TZ });
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  return { ok: true, cron };
}

/**
 * When a customer is due again after a check at `checkedAt` (epoch ms): after the interval, or at the
 * next time the cron expression names, read in Asia/Shanghai. `cron` is one `parseScanCron` accepted
 * (configuration checks CM_SCAN_CRON at load time).
 */
export function createNextCheckAt(schedule: { intervalMs: number; cron: string | undefined }): (checkedAt: number) => number {
  const { cron, intervalMs } = schedule;
  if (cron === undefined) return (checkedAt) => checkedAt + intervalMs;
  return (checkedAt) => CronExpressionParser.parse(cron, { currentDate: new Date(checkedAt), tz: SCHEDULE_TZ }).next().getTime();
}

/** How far ahead `scanPeriodMs` looks at a cron, and how many of its times it counts at most. */
const PERIOD_WINDOW_MS = 7 * 86_400_000;
const PERIOD_MAX_TIMES = 1000;

/**
 * The average time between checks the default schedule makes, in ms: the interval, or for a cron
 * the mean gap between its times over the week after `from` (a weekday-only cron averages 33.6 h),
 * which is what the cadence plan needs to count the calls of grades on the default.
 */
export function scanPeriodMs(schedule: { intervalMs: number; cron: string | undefined }, from: number): number {
  if (schedule.cron === undefined) return schedule.intervalMs;
  const times = CronExpressionParser.parse(schedule.cron, { currentDate: new Date(from), tz: SCHEDULE_TZ });
  const first = times.next().getTime();
  let last = first;
  let gaps = 0;
  while (gaps < PERIOD_MAX_TIMES && last - first < PERIOD_WINDOW_MS) {
    last = times.next().getTime();
    gaps += 1;
  }
  return (last - first) / gaps;
}
