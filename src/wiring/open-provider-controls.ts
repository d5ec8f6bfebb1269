import type { Redis } from 'ioredis';
import type { Config } from '../config/load-config.js';
import { createCallBudget, type CallBudget } from '../jobs/call-budget.js';
import { createProviderCallCounter, type ProviderCallCounter } from '../jobs/provider-call-counter.js';
import { createProviderStopControl, type ProviderStopControl } from '../jobs/provider-stop-control.js';
import type { Queues } from '../jobs/queues.js';
import type { Logger } from '../logger.js';
import type { Store } from './open-store.js';

/** What holds the fleet's provider use in bounds: today's count, the stop after an auth/quota refusal, the daily budget. */
export interface ProviderControls {
  /** Every admitted provider call, counted per section and Asia/Shanghai day in Redis (fleet-wide). */
  calls: ProviderCallCounter;
  providerStop: ProviderStopControl;
  /** None: no daily call budget. */
  budget: CallBudget | undefined;
}

export interface ProviderControlsParts {
  redis: Redis;
  store: Store;
  queues: Queues;
  logger: Logger;
  clock: () => number;
}

export async function openProviderControls(config: Config, parts: ProviderControlsParts): Promise<ProviderControls> {
  const { redis, store, queues, logger, clock } = parts;
  const calls = createProviderCallCounter(redis, config.queuePrefix, config.provider.kind, clock);
  const providerStop = createProviderStopControl({ provider: config.provider.kind, store: store.repos.meta, scanQueue: queues.scan, logger, clock });
  // A restart is how an operator applies a new key: it clears an auth/quota stop (a refusal stops again).
  if (await providerStop.current()) await providerStop.resume('worker started');
  const dailyCallBudget = config.provider.dailyCallBudget;
  const budget = dailyCallBudget === null ? undefined : createCallBudget({ dailyCallBudget, calls, redis, prefix: config.queuePrefix, logger, clock });
  return { calls, providerStop, budget };
}
