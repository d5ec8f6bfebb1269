import { CronExpressionParser } from 'cron-parser';
import { AppError } from '../app/errors.js';

/**
 * When a customer is due again after a check at `checkedAt` (epoch ms): after the interval, or at the
 * next time the cron expression names, read in Asia/Shanghai.
 */
export function createNextCheckAt(schedule: { intervalMs: number; cron: string | undefined }): (checkedAt: number) => number {
  const { cron, intervalMs } = schedule;
  if (cron === undefined) return (checkedAt) => checkedAt + intervalMs;
  // Parse once now so that a bad expression stops the process at start, naming the variable.
  try {
    CronExpressionParser.parse(cron, { tz: 'Asia/Shanghai' });
  } catch (error) {
    throw new AppError('CONFIG_INVALID', `CM_SCAN_CRON=${JSON.stringify(cron)} is invalid: ${(error as Error).message}`);
  }
  return (checkedAt) =>
    CronExpressionParser.parse(cron, { currentDate: new Date(checkedAt), tz: 'Asia/Shanghai' }).next().getTime();
}
