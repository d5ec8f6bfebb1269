import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { GateAnswer, GatedCall, GateOutcome, RequestGate } from '../providers/gated-http-client.js';
import { createRateLimitPause, PACER_KEEP_MS, type RateLimitPause, type RateLimitPauseSettings } from './rate-limit-pause.js';
import { redisScript } from './redis-script.js';

/**
 * How much the delay from our admission to the provider's arrival may differ between two requests
 * (network, a busy event loop here or there), in ms. Requests are spaced so that `rate` + 1 of them
 * span 1000 ms plus this: a provider that counts over any sliding second does not refuse the request
 * that arrives a little early after one that arrived a little late.
 */
export const ARRIVAL_JITTER_MS = 25;

/**
 * How far ahead of its turn a request may go, in ms: a waiter that wakes a little late (timer
 * resolution, a Redis round trip) keeps its place instead of losing the time, and at high rates it
 * lets about rate/100 requests through at once instead of one per timer tick.
 */
export const TOLERANCE_MS = 10;

/** GCRA parameters: the spacing of requests (emission interval) and how far ahead of it one may go (burst tolerance). */
export interface Pacing {
  emissionMs: number;
  toleranceMs: number;
}

/**
 * Even spacing such that no window of 1000 ms + ARRIVAL_JITTER_MS holds more than `ratePerSecond`
 * requests, even with the tolerance: any rate + 1 consecutive requests span at least
 * rate × emission − tolerance = 1000 ms + ARRIVAL_JITTER_MS. The cost: 3.5 % of the allowance.
 */
export function pacingFor(ratePerSecond: number): Pacing {
  return { emissionMs: (1000 + ARRIVAL_JITTER_MS + TOLERANCE_MS) / ratePerSecond, toleranceMs: TOLERANCE_MS };
}

/** A fleet-wide gate's admission: when it was admitted (Redis ms) and whether a pause was being repeated then. */
export interface Admission {
  admittedAt: number;
  pauseRepeats: number;
}

export interface CallCounting {
  /** The Redis hash that counts today's calls (field = section). */
  key(): string;
  /** How long a day's hash is kept, in seconds. */
  keepSeconds: number;
}

export interface RequestLimiterOptions {
  /** CM_PROVIDER_RATE: requests per second across the fleet. */
  ratePerSecond: number;
  pause: RateLimitPauseSettings;
  /** Longest a caller waits for its turn before it is told `admitted: false` (a long pause), in ms. */
  maxWaitMs: number;
  /** Each admitted call is also counted here, in the same script: one round trip per request, not two. */
  counting?: CallCounting;
  logger: Logger;
}

export interface RequestLimiter extends RequestGate<Admission> {
  readonly pause: RateLimitPause;
}

// GCRA (the generic cell rate algorithm) over one hash: `tat` is the theoretical arrival time of the
// next request. A request is admitted when tat - tolerance <= now, and moves tat one interval on; a
// pause (rate-limit-pause.ts) moves tat past its end. One script: the check and the move are atomic
// across every process, and the state outlives restarts.
const ACQUIRE = redisScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local s = redis.call('HMGET', KEYS[1], 'tat', 'repeats')
local tat = math.max(tonumber(s[1]) or now, now)
local wait = tat - tonumber(ARGV[2]) - now
if wait > 0 then
  return {0, string.format('%.3f', wait)}
end
redis.call('HSET', KEYS[1], 'tat', string.format('%.3f', tat + tonumber(ARGV[1])))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if #KEYS > 1 then
  redis.call('HINCRBY', KEYS[2], ARGV[4], 1)
  redis.call('EXPIRE', KEYS[2], tonumber(ARGV[5]))
end
return {1, string.format('%.3f', now), tonumber(s[2]) or 0}
`);

interface Waiter {
  call: GatedCall | undefined;
  resolve(answer: GateAnswer<Admission>): void;
  reject(error: unknown): void;
}

type Attempt = { admitted: true; admission: Admission } | { admitted: false; waitMs: number };

/**
 * The fleet-wide gate on provider requests (CM_PROVIDER_RATE): evenly paced, counted, and paused
 * after a rate-limit answer, through one Redis hash at `key`. Inside a process, callers that must
 * wait queue in order and only the first asks Redis again, so waiting costs one call per interval,
 * not one per waiter.
 */
export function createRequestLimiter(redis: Redis, key: string, options: RequestLimiterOptions): RequestLimiter {
  const pacing = pacingFor(options.ratePerSecond);
  const pause = createRateLimitPause(redis, key, options.pause, pacing.toleranceMs);
  const waiting: Waiter[] = [];
  let serving = false;

  const attempt = async (call: GatedCall | undefined): Promise<Attempt> => {
    const counting = options.counting;
    const keys = counting === undefined ? [key] : [key, counting.key()];
    const args = [pacing.emissionMs.toFixed(6), pacing.toleranceMs.toFixed(6), PACER_KEEP_MS];
    const reply = (await ACQUIRE.run(redis, keys, counting === undefined ? args : [...args, call?.section ?? 'unknown', counting.keepSeconds])) as
      | [0, string]
      | [1, string, number];
    if (reply[0] === 0) return { admitted: false, waitMs: Number(reply[1]) };
    return { admitted: true, admission: { admittedAt: Number(reply[1]), pauseRepeats: reply[2] } };
  };

  /** Serves the queue head until it is empty, first after `firstWaitMs`; one loop per process. */
  const serve = async (firstWaitMs: number): Promise<void> => {
    if (serving) return;
    serving = true;
    try {
      if (firstWaitMs > 0) await sleep(firstWaitMs);
      while (waiting.length > 0) {
        const head = waiting[0] as Waiter;
        let next: Attempt;
        try {
          next = await attempt(head.call);
        } catch (error) {
          waiting.shift();
          head.reject(error);
          continue;
        }
        if (next.admitted) {
          // The head may have been aborted meanwhile: the turn goes to whoever is first now.
          waiting.shift()?.resolve({ admitted: true, ticket: next.admission });
        } else if (next.waitMs > options.maxWaitMs) {
          for (const waiter of waiting.splice(0)) waiter.resolve({ admitted: false, retryAfterMs: next.waitMs });
        } else {
          await sleep(next.waitMs);
        }
      }
    } finally {
      serving = false;
    }
  };

  const enqueue = (signal: AbortSignal, call: GatedCall | undefined, firstWaitMs: number): Promise<GateAnswer<Admission>> =>
    new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason as Error);
        return;
      }
      const onAbort = (): void => {
        const index = waiting.indexOf(waiter);
        if (index >= 0) waiting.splice(index, 1);
        reject(signal.reason as Error);
      };
      const waiter: Waiter = {
        call,
        resolve: (answer) => {
          signal.removeEventListener('abort', onAbort);
          resolve(answer);
        },
        reject: (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      };
      waiting.push(waiter);
      signal.addEventListener('abort', onAbort, { once: true });
      void serve(firstWaitMs);
    });

  return {
    pause,
    async acquire(signal, call) {
      signal.throwIfAborted();
      // Nobody waiting: ask at once (concurrent callers race fairly in Redis). Otherwise queue up.
      if (waiting.length > 0) return enqueue(signal, call, 0);
      const first = await attempt(call);
      if (first.admitted) return { admitted: true, ticket: first.admission };
      if (first.waitMs > options.maxWaitMs) return { admitted: false, retryAfterMs: first.waitMs };
      return enqueue(signal, call, first.waitMs);
    },
    async settle(ticket: Admission, outcome: GateOutcome) {
      try {
        if (outcome.kind === 'rate_limited') {
          const refusal = await pause.refused(ticket.admittedAt, outcome.retryAfterMs);
          if (refusal.started) {
            options.logger.warn(
              { pauseMs: Math.round(refusal.pauseMs), advised: outcome.retryAfterMs !== undefined },
              'provider rate limit: pausing provider requests and the scan queue',
            );
          }
        } else if (outcome.kind === 'answered' && ticket.pauseRepeats > 0) {
          await pause.succeeded(ticket.admittedAt);
        }
      } catch (error) {
        // The request itself is done; a lost report costs at most one doubling more or less.
        options.logger.warn({ err: (error as Error).message }, 'could not record a provider answer with the request limiter');
      }
    },
  };
}

/** Unref'd: a pause of minutes must not keep a process alive whose waiters were all aborted at shutdown. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(1, ms)).unref());
}
