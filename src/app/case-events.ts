/**
 * Building the case workflow's events (case.opened, case.overdue, case.resolved) and the intake a
 * check hands to the store. Ids are derived, so a re-run builds the same rows and the store's
 * "insert unless the id exists" keeps each once.
 */
import type { CaseDeadline, CaseDeadlineKind, CasePayload, CaseRecord } from '../domain/cases.js';
import { TIERS, type EventDraft, type Tier } from '../domain/events.js';
import type { Hash } from '../domain/hash.js';
import type { Routing } from '../domain/routing.js';
import { tierFor, type TierPolicy } from '../domain/tiers.js';
import type { CaseEventWrite, CaseIntake } from './case-ports.js';
import type { Customer, DeliveryDraft, StoredEvent } from './ports.js';
import { routeEvents } from './route-events.js';

/** The `source` of events the workflow raises (there is no provider behind them). */
export const CASE_SOURCE = 'cases';

export interface CasePolicy {
  /** The lowest tier that opens a case (config `cases.openAt`); null: no cases. */
  openAt: Tier | null;
  /** The deadlines of a case of `tier` opened at `openedAt` (working days, config `cases.deadlines`). */
  deadlines(tier: Tier, openedAt: number): { acknowledgeDue: CaseDeadline; resolveDue: CaseDeadline };
}

export interface CaseEventDeps {
  hash: Hash;
  policy: TierPolicy;
  routing: Routing;
  /** Escalation recipients (config `escalation.to`): `case.overdue` goes to them as well. */
  escalationTo: readonly string[];
}

/** Events about our own monitoring, and the workflow's own, never open a case. */
const NEVER_OPENS: ReadonlySet<string> = new Set(['monitoring.degraded', 'monitoring.recovered', 'case.opened', 'case.overdue', 'case.resolved']);

const severity = (tier: Tier): number => TIERS.indexOf(tier);

/** Whether an event of this type and tier opens (or joins) a case under `openAt`. */
export function opensCase(event: Pick<StoredEvent, 'type' | 'tier'>, openAt: Tier | null): boolean {
  return openAt !== null && !NEVER_OPENS.has(event.type) && severity(event.tier) <= severity(openAt);
}

export function caseIdOf(hash: Hash, openingEventId: string): string {
  return `C-${hash(JSON.stringify(['credit-monitor/case/1', openingEventId])).slice(0, 16)}`;
}

function caseEventId(hash: Hash, caseId: string, what: string): string {
  return hash(JSON.stringify(['credit-monitor/case-event/1', caseId, what])).slice(0, 32);
}

/** The deadline that is next for a case in `state` (acknowledge while open), as ISO text. */
function nextDueAt(state: CaseRecord['state'], acknowledgeDue: CaseDeadline, resolveDue: CaseDeadline): string | null {
  if (state === 'resolved') return null;
  return new Date((state === 'open' ? acknowledgeDue : resolveDue).dueAt).toISOString();
}

/**
 * The intake of a unit of work's stored events, as the `caseIntake` field of a store write: those
 * that open a case, the most severe of them, and the case they would open (with its `case.opened`
 * event and outbox rows). No field when none opens one.
 */
export function caseIntakeOf(deps: CaseEventDeps, cases: CasePolicy, customer: Customer, events: readonly StoredEvent[], at: number): { caseIntake?: CaseIntake } {
  const opening = events.filter((event) => opensCase(event, cases.openAt));
  const first = opening[0];
  if (first === undefined) return {};
  const lead = opening.reduce((best, event) => (severity(event.tier) < severity(best.tier) ? event : best), first);
  const id = caseIdOf(deps.hash, first.id);
  const { acknowledgeDue, resolveDue } = cases.deadlines(lead.tier, at);
  const payload: CasePayload = {
    id,
    state: 'open',
    decision: null,
    dueAt: nextDueAt('open', acknowledgeDue, resolveDue),
    eventIds: opening.map((event) => event.id),
    provisional: acknowledgeDue.provisional || resolveDue.provisional,
  };
  const event = caseEvent(deps, customer.id, id, 'opened', { type: 'case.opened', baseline: false, case: payload }, at);
  return {
    caseIntake: {
      eventIds: payload.eventIds,
      leadEventId: lead.id,
      leadTier: lead.tier,
      open: { id, openedAt: at, acknowledgeDue, resolveDue, event, deliveries: routeEvents([event], customer.tags, deps.routing, []) },
    },
  };
}

/** `case.overdue` for a missed deadline: to the webhook (and the usual routing) and the escalation recipients. */
export function overdueEvent(deps: CaseEventDeps, record: CaseRecord, kind: CaseDeadlineKind, eventIds: string[], tags: readonly string[], at: number): CaseEventWrite {
  const due = kind === 'acknowledge' ? record.acknowledgeDue : record.resolveDue;
  const payload: CasePayload = {
    id: record.id,
    state: record.state,
    decision: record.decision,
    dueAt: new Date(due.dueAt).toISOString(),
    eventIds,
    deadline: kind,
    provisional: due.provisional,
  };
  const event = caseEvent(deps, record.customerId, record.id, `overdue:${kind}`, { type: 'case.overdue', baseline: false, case: payload }, at);
  const escalation: DeliveryDraft[] = deps.escalationTo.map((to) => ({ eventId: event.id, channel: 'escalation', target: `${to}#overdue-${kind}` }));
  return { event, deliveries: [...routeEvents([event], tags, deps.routing, []), ...escalation] };
}

/** `case.resolved`, carrying the decision an ERP acts on (e.g. an order stop on `terminate`). */
export function resolvedEvent(deps: CaseEventDeps, record: CaseRecord, eventIds: string[], tags: readonly string[], at: number): CaseEventWrite {
  const payload: CasePayload = {
    id: record.id,
    state: 'resolved',
    decision: record.decision,
    dueAt: null,
    eventIds,
    note: record.resolutionNote,
  };
  const event = caseEvent(deps, record.customerId, record.id, 'resolved', { type: 'case.resolved', baseline: false, case: payload }, at);
  return { event, deliveries: routeEvents([event], tags, deps.routing, []) };
}

function caseEvent(deps: CaseEventDeps, customerId: number, caseId: string, what: string, draft: EventDraft, at: number): StoredEvent {
  return { ...draft, id: caseEventId(deps.hash, caseId, what), tier: tierFor(draft, deps.policy), customerId, detectedAt: at, source: CASE_SOURCE };
}
