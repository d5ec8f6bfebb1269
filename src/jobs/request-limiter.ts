import type { Redis } from 'ioredis';

/**
 * A sliding-window limit on provider requests shared by every worker process through Redis, so that
 * CM_PROVIDER_RATE holds across the fleet. Redis' own clock decides, so skew between hosts does not
 * matter.
 */
const SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  if #KEYS > 1 then
    redis.call('HINCRBY', KEYS[2], ARGV[4], 1)
    redis.call('EXPIRE', KEYS[2], tonumber(ARGV[5]))
  end
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
`;

export interface RequestLimiter {
  /** Resolves when one more request may be sent; rejects with the signal's reason on abort. */
  acquire(signal: AbortSignal, call?: { section?: string }): Promise<void>;
}

export interface CallCounting {
  /** The Redis hash that counts today's calls (field = section). */
  key(): string;
  /** How long a day's hash is kept, in seconds. */
  keepSeconds: number;
}

/**
 * With `counting`, each admitted call is also counted in the same script: one round trip to Redis
 * per provider request, not two.
 */
export function createRequestLimiter(redis: Redis, key: string, ratePerSecond: number, counting?: CallCounting): RequestLimiter {
  // Below one request per second, allow one per 1/rate seconds instead.
  const limit = ratePerSecond >= 1 ? Math.floor(ratePerSecond) : 1;
  const windowMs = ratePerSecond >= 1 ? 1000 : Math.round(1000 / ratePerSecond);
  let counter = 0;
  const id = `${process.pid}-${Date.now().toString(36)}`;

  return {
    async acquire(signal, call) {
      for (;;) {
        signal.throwIfAborted();
        counter += 1;
        const member = `${id}-${counter}`;
        const waitMs = Number(
          counting === undefined
            ? await redis.eval(SCRIPT, 1, key, limit, windowMs, member)
            : await redis.eval(SCRIPT, 2, key, counting.key(), limit, windowMs, member, call?.section ?? 'unknown', counting.keepSeconds),
        );
        if (waitMs <= 0) return;
        await abortableDelay(Math.min(waitMs, windowMs), signal);
      }
    },
  };
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
