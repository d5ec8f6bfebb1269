/**
 * Re-grading one customer without a provider call (after `figures import`): from its latest snapshot,
 * its entry history and its latest figures, with the grade, its history row, the `grade.changed`
 * event and its outbox rows in one transaction. A check of the same customer committing meanwhile
 * makes the write stale, and it is decided again from what that check stored.
 */
import { eventId } from '../domain/event-id.js';
import type { EventDraft } from '../domain/events.js';
import type { GradingPolicy } from '../domain/grade-decision.js';
import type { Hash } from '../domain/hash.js';
import type { Routing } from '../domain/routing.js';
import { tierFor, type TierPolicy } from '../domain/tiers.js';
import { AppError } from '../errors.js';
import { gradeEventBasis, gradeRead, gradeSummary, type GradeSummary } from './grade-check.js';
import type { CheckStore, Customer, StoredEvent } from './ports.js';
import { caseIntakeOf, type CasePolicy } from './case-events.js';
import { routeEvents } from './route-events.js';

/** The `source` of a grade change decided from the ERP's figures rather than a provider's answer. */
export const FIGURES_SOURCE = 'erp';

const MAX_RECORD_ATTEMPTS = 5;

export interface RegradeDeps {
  store: CheckStore;
  hash: Hash;
  /** Epoch ms now. */
  clock: () => number;
  policy: TierPolicy;
  routing: Routing;
  grading: GradingPolicy;
  /** A fall to risk (high) from the figures opens a case as a check's would (config `cases`). */
  cases: CasePolicy;
  escalationTo: readonly string[];
}

export type RegradeOutcome =
  | { kind: 'unknown_customer'; uscc: string }
  | {
      kind: 'regraded';
      uscc: string;
      grade: GradeSummary;
      /** The events stored (none when the grade stayed, or a re-run found it stored already). */
      events: StoredEvent[];
    };

/** Re-grades `uscc`. A customer never checked stays unrated: there is nothing read to grade. */
export async function regradeCustomer(deps: RegradeDeps, uscc: string): Promise<RegradeOutcome> {
  for (let attempt = 1; attempt <= MAX_RECORD_ATTEMPTS; attempt += 1) {
    const customer = await deps.store.findCustomer(uscc);
    if (!customer) return { kind: 'unknown_customer', uscc };
    const outcome = await regradeOnce(deps, customer);
    if (outcome !== 'stale') return outcome;
  }
  throw new AppError('STORE_CONFLICT', `customer ${uscc}: the grade changed under ${MAX_RECORD_ATTEMPTS} attempts to re-grade it`, { retryable: true });
}

async function regradeOnce(deps: RegradeDeps, customer: Customer): Promise<RegradeOutcome | 'stale'> {
  const latest = await deps.store.latestSnapshot(customer.id);
  const now = deps.clock();
  const stays = (grade: GradeSummary): RegradeOutcome => ({ kind: 'regraded', uscc: customer.uscc, grade, events: [] });
  if (latest === undefined) return stays({ before: customer.grade, after: customer.grade, rule: customer.gradeRule, decided: false });
  const grading = await gradeRead(deps.store, deps.grading, customer, latest.body, now);
  const summary = gradeSummary(customer, grading);
  const write = grading.write;
  if (write === undefined || (write.grade === customer.grade && write.rule === customer.gradeRule)) return stays(summary);

  const events = grading.draft === null ? [] : [toStoredEvent(deps, customer, grading.draft, gradeEventBasis(`snapshot-${latest.id}`, customer), now)];
  const unacknowledged = events.length === 0 ? [] : await deps.store.unacknowledgedTiers(customer.id);
  const recorded = await deps.store.recordGrade({
    customerId: customer.id,
    basedOnSnapshotId: latest.id,
    gradedAt: now,
    grade: write,
    events,
    deliveries: routeEvents(events, customer.tags, deps.routing, unacknowledged),
    ...caseIntakeOf(deps, deps.cases, customer, events, now),
  });
  if (recorded.stale) return 'stale';
  const fresh = new Set(recorded.newEventIds);
  return { kind: 'regraded', uscc: customer.uscc, grade: summary, events: events.filter((event) => fresh.has(event.id)) };
}

function toStoredEvent(deps: RegradeDeps, customer: Customer, draft: EventDraft, against: string, detectedAt: number): StoredEvent {
  return {
    ...draft,
    id: eventId(deps.hash, { uscc: customer.uscc, draft, against }),
    tier: tierFor(draft, deps.policy),
    customerId: customer.id,
    detectedAt,
    source: FIGURES_SOURCE,
  };
}
