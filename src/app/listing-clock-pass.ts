/**
 * The daily listing-clock pass: `abnormal_operations.escalation_due` for entries that reach their
 * warning window on a day no check of the customer happens (a customer checked weekly, or paused
 * sections), from stored snapshots alone, with no provider call. Once per Shanghai day across the
 * fleet (a claim in `meta`); each event once per entry (its id), whoever raises it first.
 */
import { shanghaiDay } from '../domain/dates.js';
import { CLOCK_AGAINST, escalationDue } from '../domain/listing-clock.js';
import { eventId } from '../domain/event-id.js';
import { tierFor } from '../domain/tiers.js';
import type { Snapshot } from '../domain/snapshot.js';
import { caseIntakeOf, type CaseEventDeps, type CasePolicy } from './case-events.js';
import type { Customer, RecordEventsInput, StoredEvent } from './ports.js';
import { routeEvents } from './route-events.js';

export interface ClockStore {
  /** Monitored customers after `afterId`, by id, each with its latest snapshot's body (null: never read). */
  latestSnapshotsPage(afterId: number, limit: number): Promise<Array<{ customer: Customer; body: Snapshot | null }>>;
  /** Tiers of the customer's events that nobody has acknowledged yet. */
  unacknowledgedTiers(customerId: number): Promise<StoredEvent['tier'][]>;
  /**
   * Events written outside a check, in one transaction: inserted unless the id exists, the outbox
   * rows of the new ones, and the case intake (as in a check). Answers the ids inserted.
   */
  recordEvents(input: RecordEventsInput): Promise<{ newEventIds: string[] }>;
  /** Sets `key` unless it exists; true when this call set it. */
  claimOnce(key: string, value: string): Promise<boolean>;
}

export interface ClockPassDeps extends CaseEventDeps {
  store: ClockStore;
  cases: CasePolicy;
  escalationWarningDays: number;
  clock: () => number;
  /** Customers read per page. */
  pageSize?: number;
}

export type ClockPassOutcome = { kind: 'already_run'; day: string } | { kind: 'ran'; day: string; customers: number; raised: number };

export async function runListingClockPass(deps: ClockPassDeps): Promise<ClockPassOutcome> {
  const now = deps.clock();
  const day = shanghaiDay(now);
  if (!(await deps.store.claimOnce(`listing_clock_pass:${day}`, String(now)))) return { kind: 'already_run', day };
  let afterId = 0;
  let customers = 0;
  let raised = 0;
  for (;;) {
    const page = await deps.store.latestSnapshotsPage(afterId, deps.pageSize ?? 500);
    for (const { customer, body } of page) {
      if (body === null) continue;
      customers += 1;
      raised += await raiseFor(deps, customer, body, day, now);
    }
    const last = page.at(-1);
    if (last === undefined) break;
    afterId = last.customer.id;
  }
  return { kind: 'ran', day, customers, raised };
}

async function raiseFor(deps: ClockPassDeps, customer: Customer, body: Snapshot, day: string, now: number): Promise<number> {
  const drafts = escalationDue(body.abnormalOperations ?? [], day, deps.escalationWarningDays);
  if (drafts.length === 0) return 0;
  const events: StoredEvent[] = drafts.map((draft) => ({
    ...draft,
    id: eventId(deps.hash, { uscc: customer.uscc, draft, against: CLOCK_AGAINST }),
    tier: tierFor(draft, deps.policy),
    customerId: customer.id,
    detectedAt: now,
    source: 'clock',
  }));
  const deliveries = routeEvents(events, customer.tags, deps.routing, await deps.store.unacknowledgedTiers(customer.id));
  const { newEventIds } = await deps.store.recordEvents({ customerId: customer.id, at: now, events, deliveries, ...caseIntakeOf(deps, deps.cases, customer, events, now) });
  return newEventIds.length;
}
