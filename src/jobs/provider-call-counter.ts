import type { Redis } from 'ioredis';
import { shanghaiDay } from '../domain/dates.js';

/** Today's provider calls, counted across every worker. */
export interface ProviderCallsToday {
  /** The counting day, YYYY-MM-DD in Asia/Shanghai (the providers bill by Beijing day). */
  day: string;
  provider: string;
  total: number;
  /** Calls per section name ("registration", "abnormalOperations", …; "unknown" when not told). */
  bySection: Record<string, number>;
}

/** Reads the counts; the request limiter's script writes them (see `createRequestLimiter`). */
export interface ProviderCallCounter {
  /** Today's counts. */
  today(): Promise<ProviderCallsToday>;
}

/** Days a day's counts are kept, for an operator looking back with redis-cli. */
export const KEEP_SECONDS = 8 * 86_400;

/** The Redis hash of one provider's calls on one day: field = section, value = calls. */
export function providerCallsKey(prefix: string, provider: string, day: string): string {
  return `${prefix}:provider-calls:${provider}:${day}`;
}

/** Calls are counted in Redis (HINCRBY on a per-day key), so that the count and the budget hold fleet-wide. */
export function createProviderCallCounter(redis: Redis, prefix: string, provider: string, clock: () => number = Date.now): ProviderCallCounter {
  return {
    today: () => readProviderCalls(redis, prefix, provider, clock()),
  };
}

/** One provider's calls on the Asia/Shanghai day of `now` (epoch ms). */
export async function readProviderCalls(redis: Redis, prefix: string, provider: string, now: number): Promise<ProviderCallsToday> {
  const day = shanghaiDay(now);
  const raw = await redis.hgetall(providerCallsKey(prefix, provider, day));
  const bySection = Object.fromEntries(Object.entries(raw).map(([section, n]) => [section, Number(n)]));
  const total = Object.values(bySection).reduce((sum, n) => sum + n, 0);
  return { day, provider, total, bySection };
}
