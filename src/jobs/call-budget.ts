import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { ProviderCallCounter } from './provider-call-counter.js';

const DAY_MS = 86_400_000;

/** The daily provider call budget (`provider.dailyCallBudget`), shared by every worker. */
export interface CallBudget {
  /**
   * When today's budget is spent: the epoch ms at which budgeted checks may run again (the next
   * Asia/Shanghai midnight, when the count starts afresh); otherwise undefined. The first caller of
   * the day across the fleet logs that the budget is spent, so the log says it once per day.
   */
  spentUntil(): Promise<number | undefined>;
}

export interface CallBudgetDeps {
  /** Calls allowed per Asia/Shanghai day, counted across every worker. */
  dailyCallBudget: number;
  calls: ProviderCallCounter;
  /** For the once-a-day notice (SET NX on a day key). */
  redis: Redis;
  prefix: string;
  logger: Logger;
  /** Epoch ms now. */
  clock: () => number;
}

/** Epoch ms of the Asia/Shanghai midnight that ends `day` (YYYY-MM-DD). China keeps UTC+8 all year. */
export function endOfShanghaiDay(day: string): number {
  return Date.parse(`${day}T00:00:00+08:00`) + DAY_MS;
}

/**
 * The budget is checked before a scheduled check starts, never in the middle of one (a section is
 * all or nothing, and a half-read check would waste the calls already made), so a day may end a few
 * calls over: at most the scan concurrency times the calls of one check.
 */
export function createCallBudget(deps: CallBudgetDeps): CallBudget {
  return {
    async spentUntil() {
      const today = await deps.calls.today();
      if (today.total < deps.dailyCallBudget) return undefined;
      const until = endOfShanghaiDay(today.day);
      const noticeKey = `${deps.prefix}:call-budget-notice:${today.provider}:${today.day}`;
      const first = await deps.redis.set(noticeKey, String(deps.clock()), 'EX', 2 * 86_400, 'NX');
      if (first === 'OK') {
        deps.logger.warn(
          { provider: today.provider, day: today.day, calls: today.total, budget: deps.dailyCallBudget, resumeAt: new Date(until).toISOString() },
          'daily provider call budget spent: scheduled checks deferred to the next day (single-customer and forced re-scans still run)',
        );
      }
      return until;
    },
  };
}
