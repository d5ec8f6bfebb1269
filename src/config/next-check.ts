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
