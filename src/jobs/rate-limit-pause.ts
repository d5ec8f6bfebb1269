import type { Redis } from 'ioredis';
import { redisScript } from './redis-script.js';

/**
 * The pause after a provider's rate-limit answer, kept fleet-wide in the request limiter's Redis hash
 * (see request-limiter.ts) so that every process holds its requests until it ends. The advised wait
 * when there is one, else `baseMs` doubling on repeats up to `maxMs`, back to `baseMs` after a success.
 *
 * One burst is one pause: every request sent before a pause began was part of the burst that caused
 * it, so its refusal neither doubles nor extends the pause. Only a refusal of a request sent after
 * the pause (the gate held it until then) is a repeat. Redis' clock decides, so host skew does not matter.
 */
export interface RateLimitPauseSettings {
  /** CM_RATE_LIMIT_PAUSE in ms. */
  baseMs: number;
  /** Longest pause without advice, in ms. Default 5 min. */
  maxMs?: number;
}

/** What a refusal did: started a pause (`started`), or fell within the one its burst caused. */
export interface RefusalOutcome {
  started: boolean;
  /** How long requests stay paused from now, in ms. */
  pauseMs: number;
}

export interface RateLimitPause {
  /** Records a refusal of a request the gate admitted at `admittedAt` (Redis ms); `advisedMs` from the answer. */
  refused(admittedAt: number, advisedMs: number | undefined): Promise<RefusalOutcome>;
  /** A request admitted at `admittedAt` succeeded: the next pause starts from `baseMs` again, if it was sent after the last pause. */
  succeeded(admittedAt: number): Promise<void>;
  /** How long provider requests stay paused from now, in ms; 0 when they are not. */
  pausedForMs(): Promise<number>;
}

/** How long the hash is kept after its last write: longer than any pause (the longest advised wait is to the next midnight). */
export const PACER_KEEP_MS = 2 * 86_400_000;

// The hash: tat (next admission, see request-limiter.ts), pauseStart, pauseEnd, repeats, pauses (events so far).
const REFUSED = redisScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local s = redis.call('HMGET', KEYS[1], 'tat', 'pauseStart', 'pauseEnd', 'repeats')
local pauseStart = tonumber(s[2]) or 0
local pauseEnd = tonumber(s[3]) or 0
if tonumber(ARGV[1]) < pauseStart then
  return {0, string.format('%.3f', math.max(0, pauseEnd - now))}
end
local repeats = tonumber(s[4]) or 0
local pauseMs = tonumber(ARGV[2])
if pauseMs <= 0 then
  pauseMs = math.min(tonumber(ARGV[3]) * 2 ^ repeats, tonumber(ARGV[4]))
  repeats = math.min(repeats + 1, 30)
end
pauseEnd = now + pauseMs
local tat = math.max(tonumber(s[1]) or now, pauseEnd + tonumber(ARGV[5]))
redis.call('HSET', KEYS[1], 'tat', string.format('%.3f', tat), 'pauseStart', string.format('%.3f', now),
  'pauseEnd', string.format('%.3f', pauseEnd), 'repeats', repeats)
redis.call('HINCRBY', KEYS[1], 'pauses', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return {1, string.format('%.3f', pauseMs)}
`);

const SUCCEEDED = redisScript(`
local s = redis.call('HMGET', KEYS[1], 'pauseEnd', 'repeats')
if (tonumber(s[2]) or 0) > 0 and tonumber(ARGV[1]) >= (tonumber(s[1]) or 0) then
  redis.call('HSET', KEYS[1], 'repeats', 0)
end
return 0
`);

const PAUSED_FOR = redisScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local pauseEnd = tonumber(redis.call('HGET', KEYS[1], 'pauseEnd')) or 0
return string.format('%.3f', math.max(0, pauseEnd - now))
`);

/**
 * The pause on the limiter hash `key`. `toleranceMs` is the limiter's burst tolerance, added to
 * the pause so that no request goes out before it ends.
 */
export function createRateLimitPause(redis: Redis, key: string, settings: RateLimitPauseSettings, toleranceMs = 0): RateLimitPause {
  const maxMs = settings.maxMs ?? 300_000;
  return {
    async refused(admittedAt, advisedMs) {
      const advised = advisedMs !== undefined && advisedMs > 0 ? advisedMs : 0;
      const [started, pauseMs] = (await REFUSED.run(redis, [key], [admittedAt.toFixed(3), advised, settings.baseMs, maxMs, toleranceMs, PACER_KEEP_MS])) as [
        number,
        string,
      ];
      return { started: started === 1, pauseMs: Number(pauseMs) };
    },
    async succeeded(admittedAt) {
      await SUCCEEDED.run(redis, [key], [admittedAt.toFixed(3)]);
    },
    async pausedForMs() {
      return Number(await PAUSED_FOR.run(redis, [key], []));
    },
  };
}
