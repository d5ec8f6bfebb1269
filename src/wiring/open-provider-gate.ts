/**
 * The fleet-wide gate on provider requests, in Redis: CM_PROVIDER_RATE evenly paced, the pause after
 * a rate-limit answer (CM_RATE_LIMIT_PAUSE), and the count of calls per section and Asia/Shanghai day.
 * The worker and `check` both send through it, so the limit and the count hold for every process.
 */
import type { Redis } from 'ioredis';
import type { Config } from '../config/load-config.js';
import { shanghaiDay } from '../domain/dates.js';
import { KEEP_SECONDS, providerCallsKey } from '../jobs/provider-call-counter.js';
import { createRequestLimiter, type RequestLimiter } from '../jobs/request-limiter.js';
import { errorMessage, type Releasers } from '../lifecycle/releasers.js';
import type { Logger } from '../logger.js';
import { connectOneshotRedis, oneshotRedisUrl, quitRedis } from './open-redis.js';

/** The longest a worker's request waits out a rate-limit pause (the longest doubling pause); longer advised waits put the check back at once. */
export const WORKER_GATE_MAX_WAIT_MS = 301_000;
/** The longest `credit-monitor check` waits for its turn before it says the provider is rate-limited. */
export const CLI_GATE_MAX_WAIT_MS = 30_000;

export function createProviderGate(config: Config, redis: Redis, logger: Logger, clock: () => number, maxWaitMs: number): RequestLimiter {
  return createRequestLimiter(redis, `${config.queuePrefix}:provider-pacer`, {
    ratePerSecond: config.provider.ratePerSecond,
    pause: { baseMs: config.rateLimitPauseMs },
    maxWaitMs,
    counting: { key: () => providerCallsKey(config.queuePrefix, config.provider.kind, shanghaiDay(clock())), keepSeconds: KEEP_SECONDS },
    logger,
  });
}

/**
 * The fleet's gate for a one-shot command when Redis answers (never starting one); undefined when it
 * does not: the command then runs unpaced and uncounted rather than not at all. A standalone `check`
 * without a worker is normal use, so that is said at info level, and the probe itself is quiet.
 */
export async function openCliProviderGate(config: Config, logger: Logger, clock: () => number, releasers: Releasers): Promise<RequestLimiter | undefined> {
  let redis: Redis;
  try {
    redis = await connectOneshotRedis(await oneshotRedisUrl(config, logger), logger, { attempts: 1, quiet: true });
  } catch (error) {
    logger.info({ reason: errorMessage(error) }, 'Redis is not reachable: this check is neither paced with the workers nor counted in today\'s provider calls');
    return undefined;
  }
  releasers.push('redis', () => quitRedis(redis));
  return createProviderGate(config, redis, logger, clock, CLI_GATE_MAX_WAIT_MS);
}
