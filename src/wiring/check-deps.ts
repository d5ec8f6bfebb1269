/** What one check needs (app/check-customer.ts), built the same for the worker, `check` and `demo`; and a re-grade. */
import { createHash } from 'node:crypto';
import type { CheckDeps } from '../app/check-customer.js';
import type { GradeSchedule } from '../app/grade-schedule.js';
import type { RegradeDeps } from '../app/regrade-customer.js';
import type { Config } from '../config/load-config.js';
import type { GradingPolicy } from '../domain/grade-decision.js';
import type { Hash } from '../domain/hash.js';
import type { Routing } from '../domain/routing.js';
import type { CreditProvider } from '../providers/provider.js';
import { configuredGradeSchedule } from './configured-grade-schedule.js';
import type { Store } from './open-store.js';

export const sha256Hex: Hash = (text) => createHash('sha256').update(text).digest('hex');

function routingFrom(config: Config): Routing {
  const webhooks = config.webhookTargets.map((target) => target.name);
  const email = { to: config.mail.to, ...config.routing.email };
  const tagRecipients = config.routing.tagRecipients;
  const anyEmail = config.mail.to.length > 0 || Object.keys(tagRecipients).length > 0;
  // Until a channel is configured, events still reach someone: the log channel writes each as a line.
  return { webhooks, email, tagRecipients, log: webhooks.length === 0 && !anyEmail };
}

/** Grading as configured: the rules, each grade's strategy, and the optional sections the provider reads. */
export function gradingPolicyFrom(config: Config): GradingPolicy {
  return { rules: config.grading, strategies: config.strategy, enabledSections: config.provider.sections };
}

/** `schedule`: the worker's own, shared with its sweep; by default one of the check's own. */
export function createCheckDeps(
  config: Config,
  store: Store,
  provider: CreditProvider,
  clock: () => number,
  schedule: GradeSchedule = configuredGradeSchedule(config, { countByGrade: () => store.repos.customers.countByGrade(), clock }),
): CheckDeps {
  return {
    store: store.repos.checks,
    provider,
    hash: sha256Hex,
    clock,
    policy: config.tiers,
    routing: routingFrom(config),
    degradedAfter: config.degradedAfter,
    nextCheckAt: (checkedAt, grade) => schedule.nextCheckAt(checkedAt, grade),
    grading: gradingPolicyFrom(config),
  };
}

/** What a re-grade without a provider call needs (`figures import`): a check's deps but the provider. */
export function createRegradeDeps(config: Config, store: Store, clock: () => number): RegradeDeps {
  return {
    store: store.repos.checks,
    hash: sha256Hex,
    clock,
    policy: config.tiers,
    routing: routingFrom(config),
    grading: gradingPolicyFrom(config),
  };
}
