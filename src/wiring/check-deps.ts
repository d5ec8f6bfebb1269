import type { AcknowledgeEventDeps } from '../app/acknowledge-event.js';
/** What one check needs (app/check-customer.ts), built the same for the worker, `check` and `demo`; and a re-grade. */
import { createHash } from 'node:crypto';
import type { CasePolicy } from '../app/case-events.js';
import type { CaseWorkflowDeps } from '../app/case-workflow.js';
import type { CheckDeps } from '../app/check-customer.js';
import type { ClockPassDeps } from '../app/listing-clock-pass.js';
import type { GradeSchedule } from '../app/grade-schedule.js';
import type { RegradeDeps } from '../app/regrade-customer.js';
import type { Config } from '../config/load-config.js';
import type { GradingPolicy } from '../domain/grade-decision.js';
import type { Hash } from '../domain/hash.js';
import type { Routing } from '../domain/routing.js';
import type { CreditProvider } from '../providers/provider.js';
import { createChineseDaysCalendar } from '../calendar/chinese-days-calendar.js';
import { caseDeadlines } from '../domain/case-deadlines.js';
import type { WorkdayCalendar } from '../domain/workday-calendar.js';
import { configuredGradeSchedule } from './configured-grade-schedule.js';
import type { Store } from './open-store.js';

export const sha256Hex: Hash = (text) => createHash('sha256').update(text).digest('hex');

export function routingFrom(config: Config): Routing {
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
    cases: casePolicyFrom(config),
    escalationTo: config.escalation.to,
    escalationWarningDays: config.clocks.escalationWarningDays,
  };
}

const calendars = new WeakMap<Config, WorkdayCalendar>();

/** The working-day calendar: chinese-days' official data plus the configured override file (built once per config). */
export function calendarFrom(config: Config): WorkdayCalendar {
  let calendar = calendars.get(config);
  if (calendar === undefined) {
    calendar = createChineseDaysCalendar(config.calendar.overrides);
    calendars.set(config, calendar);
  }
  return calendar;
}

/** Which events open a case, and its deadlines counted on the working-day calendar (config `cases`). */
export function casePolicyFrom(config: Config, calendar: WorkdayCalendar = calendarFrom(config)): CasePolicy {
  return {
    openAt: config.cases.openAt,
    deadlines: (tier, openedAt) => caseDeadlines(calendar, openedAt, config.cases.deadlines[tier]),
  };
}

/** What the daily listing-clock pass needs: the stored snapshots, the outbox and cases, no provider. */
export function createClockPassDeps(config: Config, store: Store, clock: () => number): ClockPassDeps {
  return {
    store: {
      latestSnapshotsPage: (afterId, limit) => store.repos.snapshots.latestSnapshotsPage(afterId, limit),
      unacknowledgedTiers: (customerId) => store.repos.checks.unacknowledgedTiers(customerId),
      recordEvents: (input) => store.repos.checks.recordEvents(input),
      claimOnce: (key, value) => store.repos.meta.setIfAbsent(key, value),
    },
    cases: casePolicyFrom(config),
    escalationWarningDays: config.clocks.escalationWarningDays,
    hash: sha256Hex,
    policy: config.tiers,
    routing: routingFrom(config),
    escalationTo: config.escalation.to,
    clock,
  };
}

/** What `cases ack|assign|resolve` and the overdue pass need. */
export function createCaseWorkflowDeps(config: Config, store: Store, clock: () => number): CaseWorkflowDeps {
  return {
    cases: store.repos.cases,
    tagsOf: async (uscc) => (await store.repos.customers.findByUscc(uscc, { includeRemoved: true }))?.tags,
    clock,
    hash: sha256Hex,
    policy: config.tiers,
    routing: routingFrom(config),
    escalationTo: config.escalation.to,
  };
}

/** What acknowledging an event (and its open case) needs: `alerts ack` and the API. */
export function acknowledgeEventDeps(config: Config, store: Store, clock: () => number): AcknowledgeEventDeps {
  return {
    events: store.repos.events,
    auditLog: store.repos.auditLog,
    caseOfEvent: (eventId) => store.repos.cases.caseOfEvent(eventId),
    caseWorkflow: createCaseWorkflowDeps(config, store, clock),
    clock,
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
    cases: casePolicyFrom(config),
    escalationTo: config.escalation.to,
  };
}
