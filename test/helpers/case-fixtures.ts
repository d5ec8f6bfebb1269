/** Case intakes and case events for store tests, built as the app would (ids, deadlines, payloads). */
import { createHash } from 'node:crypto';
import type { CaseEventWrite, CaseIntake } from '../../src/app/case-ports.js';
import type { StoredEvent } from '../../src/app/ports.js';
import type { CaseDeadlineKind, CaseRecord } from '../../src/domain/cases.js';
import { TIERS } from '../../src/domain/events.js';

export const DAY_MS = 86_400_000;
export const HOOK = 'https://example.test/hook';

/** `C-` and 16 hex of the lead event's id, as domain/cases.ts derives it. */
export function caseIdFor(eventId: string): string {
  return `C-${createHash('sha256').update(eventId).digest('hex').slice(0, 16)}`;
}

/**
 * The intake of `events` (all of them at or above `cases.openAt`) for a check at `at`: the
 * acknowledge deadline 3 days on, the resolve deadline 10 days on (provisional).
 */
export function intakeFor(events: readonly StoredEvent[], at: number): CaseIntake {
  const lead = [...events].sort((a, b) => TIERS.indexOf(a.tier) - TIERS.indexOf(b.tier))[0];
  if (lead === undefined) throw new Error('an intake needs events');
  const id = caseIdFor(lead.id);
  const event = caseEvent('case.opened', id, lead.customerId, at, events.map((e) => e.id));
  return {
    eventIds: events.map((e) => e.id),
    leadEventId: lead.id,
    leadTier: lead.tier,
    open: {
      id,
      openedAt: at,
      acknowledgeDue: { day: '2026-11-30', dueAt: at + 3 * DAY_MS, provisional: false },
      resolveDue: { day: '2026-12-07', dueAt: at + 10 * DAY_MS, provisional: true },
      event,
      deliveries: [{ eventId: event.id, channel: 'webhook', target: HOOK }],
    },
  };
}

/** A case event (`case.opened`, `case.overdue`, `case.resolved`) of case `caseId`, its id derived from both. */
export function caseEvent(type: 'case.opened' | 'case.overdue' | 'case.resolved', caseId: string, customerId: number, at: number, eventIds: string[], deadline?: CaseDeadlineKind): StoredEvent {
  return {
    id: `${caseId}:${type}${deadline === undefined ? '' : `:${deadline}`}`,
    customerId,
    type,
    tier: type === 'case.overdue' ? 'high' : 'info',
    baseline: false,
    detectedAt: at,
    source: 'cases',
    case: {
      id: caseId,
      state: type === 'case.resolved' ? 'resolved' : 'open',
      decision: null,
      dueAt: null,
      eventIds,
      ...(deadline === undefined ? {} : { deadline }),
    },
  };
}

/** The `case.overdue` write of `kase`'s `kind` deadline at `at`, with an escalation delivery. */
export function overdueWrite(kase: CaseRecord, kind: CaseDeadlineKind, at: number): CaseEventWrite {
  const event = caseEvent('case.overdue', kase.id, kase.customerId, at, [], kind);
  return { event, deliveries: [{ eventId: event.id, channel: 'escalation', target: 'boss@example.com' }] };
}

/** What `resolve` is given to write: the `case.resolved` event of the case as resolved, with a webhook delivery. */
export function resolvedWrite(at: number): (current: CaseRecord, eventIds: string[]) => CaseEventWrite {
  return (current, eventIds) => {
    const event = caseEvent('case.resolved', current.id, current.customerId, at, eventIds);
    event.case = { id: current.id, state: current.state, decision: current.decision, dueAt: null, eventIds, note: current.resolutionNote };
    return { event, deliveries: [{ eventId: event.id, channel: 'webhook', target: HOOK }] };
  };
}
