/**
 * `alerts ack` and `POST /api/events/{id}/ack`: records who handled an event (idempotent: a second
 * ack keeps the first), and acknowledges the event's case if it is still open, which stops its
 * escalation.
 */
import type { CaseRecord } from '../domain/cases.js';
import { acknowledgeCase, type CaseWorkflowDeps } from './case-workflow.js';

/** The store's answer: `already_acknowledged` keeps the first acknowledgement and returns it. */
export interface Acknowledgement {
  outcome: 'acknowledged' | 'already_acknowledged';
  acknowledgedBy: string;
  /** Epoch ms. */
  acknowledgedAt: number;
  note: string | null;
}

export interface AcknowledgeEventDeps {
  events: { acknowledge(id: string, by: string, note: string | null, at: number): Promise<Acknowledgement> };
  auditLog: { record(entry: { actor: string; action: string; subject: string; details?: Record<string, unknown> }, at: number): Promise<number> };
  caseOfEvent(eventId: string): Promise<CaseRecord | undefined>;
  caseWorkflow: CaseWorkflowDeps;
  clock(): number;
}

export interface EventAcknowledged {
  event: Acknowledgement;
  /** The event's case and what happened to it: acknowledged now, or left in the state it was in. */
  case: { id: string; outcome: 'acknowledged' | 'unchanged'; state: CaseRecord['state'] } | null;
}

/** @throws AppError `NOT_FOUND` for an unknown event id. */
export async function acknowledgeEvent(
  deps: AcknowledgeEventDeps,
  eventId: string,
  input: { by: string; note: string | null; actor: string },
): Promise<EventAcknowledged> {
  const id = eventId.trim();
  const ack = await deps.events.acknowledge(id, input.by, input.note, deps.clock());
  if (ack.outcome === 'acknowledged') {
    await deps.auditLog.record({ actor: input.actor, action: 'event.ack', subject: id, details: { by: input.by, note: input.note } }, ack.acknowledgedAt);
  }
  const kase = await deps.caseOfEvent(id);
  if (kase === undefined) return { event: ack, case: null };
  if (kase.state !== 'open') return { event: ack, case: { id: kase.id, outcome: 'unchanged', state: kase.state } };
  const done = await acknowledgeCase(deps.caseWorkflow, kase.id, input.by, input.note, input.actor);
  return { event: ack, case: { id: kase.id, outcome: done.outcome === 'done' ? 'acknowledged' : 'unchanged', state: done.outcome === 'done' ? 'acknowledged' : kase.state } };
}
