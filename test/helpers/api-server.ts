/**
 * A `serve` app over a fresh test store (either dialect), with one token per role, for API and
 * console tests. Redis is optional: without it the queue client refuses as a down Redis does.
 */
import type { FastifyInstance } from 'fastify';
import { issueToken } from '../../src/app/api-tokens.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { Role } from '../../src/domain/api-tokens.js';
import { AppError } from '../../src/errors.js';
import { buildServer } from '../../src/http/server/build-server.js';
import type { ServerDeps } from '../../src/http/server/server-deps.js';
import { createLogger } from '../../src/logger.js';
import { configuredGradeSchedule } from '../../src/wiring/configured-grade-schedule.js';
import { openQueueClient, type QueueClient } from '../../src/wiring/open-queue-client.js';
import { sessionKeyOf } from '../../src/wiring/start-server.js';
import { REPO_ROOT } from './run-cli.js';
import type { TestStore } from './test-stores.js';

export interface ApiRig {
  app: FastifyInstance;
  t: TestStore;
  deps: ServerDeps;
  /** A bearer token per role (named `viewer-1`, `analyst-1`, `admin-1`). */
  tokens: Record<Role, string>;
  /** `Authorization` header of a role's token. */
  auth(role: Role): { authorization: string };
  close(): Promise<void>;
}

export async function startApiRig(t: TestStore, options: { redisUrl?: string; env?: Record<string, string>; clock?: () => number } = {}): Promise<ApiRig> {
  const clock = options.clock ?? Date.now;
  const env = { CM_DB: t.cmDb, TZ: 'UTC', LOG_LEVEL: 'silent', ...(options.redisUrl === undefined ? {} : { REDIS_URL: options.redisUrl }), ...options.env };
  const config = loadConfig(env, REPO_ROOT);
  const logger = createLogger('silent');
  let queue: Promise<QueueClient> | undefined;
  const deps: ServerDeps = {
    config,
    store: t.store,
    queueClient: () => {
      if (options.redisUrl === undefined) return Promise.reject(new AppError('REDIS_UNAVAILABLE', 'Redis does not answer (test without Redis)'));
      queue ??= openQueueClient(config, logger, clock);
      return queue;
    },
    cadencePlan: () => configuredGradeSchedule(config, { countByGrade: () => t.repos.customers.countByGrade(), clock }).plan(),
    configuredChannels: ['log'],
    logger,
    clock,
    sessionKey: await sessionKeyOf(t.repos.meta),
  };
  const app = await buildServer(deps);
  const tokens = {} as Record<Role, string>;
  for (const role of ['viewer', 'analyst', 'admin'] as const) {
    tokens[role] = (await issueToken(`${role}-1`, role, { tokens: t.repos.tokens, clock })).token;
  }
  return {
    app,
    t,
    deps,
    tokens,
    auth: (role) => ({ authorization: `Bearer ${tokens[role]}` }),
    close: async () => {
      await app.close();
      await (await queue?.catch(() => undefined))?.close();
    },
  };
}
