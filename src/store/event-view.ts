/** One stored event as `credit-monitor events --json` shows it, built from its row (both dialects). */
import type { CasePayload } from '../domain/cases.js';
import type { EventEntry, EventType, FieldChange, Tier } from '../domain/events.js';
import type { EventPayload } from './schema.js';

/** One event as `credit-monitor events --json` prints it (DESIGN "Contract details"). */
export interface EventView {
  id: string;
  type: EventType;
  tier: Tier;
  baseline: boolean;
  /** ISO 8601, UTC. */
  detectedAt: string;
  customer: { uscc: string; name: string };
  change?: FieldChange;
  entry?: EventEntry;
  evidence?: 'removal_date' | 'missing';
  /** `annual_report.missing`: the year whose report is not published. */
  annualReport?: { year: number };
  /** `abnormal_operations.escalation_due`: the day the entry completes three years on the list. */
  escalatesOn?: string;
  /** Case events: the case as it stood after the event. */
  case?: CasePayload;
  /** ISO 8601, UTC. */
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  /** The case the event opened or joined (or, for a case event, is about); absent when none. */
  caseId?: string;
  /** Deliveries of this event that gave up (re-drivable with `alerts redrive`); absent when none. */
  deadDeliveries?: Array<{ channel: string; target: string; error: string | null }>;
}

/** An event row joined with its customer's code and name, as both dialects read it. */
export interface EventViewRow {
  id: string;
  type: EventType;
  tier: Tier;
  baseline: boolean;
  detectedAt: number;
  payload: EventPayload;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  caseId: string | null;
  uscc: string;
  name: string;
}

/** The view of one row; absent parts are absent keys, not nulls, so JSON output stays as the contract shows it. */
export function toEventView(row: EventViewRow, dead: EventView['deadDeliveries']): EventView {
  const view: EventView = {
    id: row.id,
    type: row.type,
    tier: row.tier,
    baseline: row.baseline,
    detectedAt: new Date(row.detectedAt).toISOString(),
    customer: { uscc: row.uscc, name: row.name },
  };
  const { change, entry, evidence, annualReport, escalatesOn } = row.payload;
  if (change !== undefined) view.change = change;
  if (entry !== undefined) view.entry = entry;
  if (evidence !== undefined) view.evidence = evidence;
  if (annualReport !== undefined) view.annualReport = { year: annualReport.year };
  if (escalatesOn !== undefined) view.escalatesOn = escalatesOn;
  if (row.payload.case !== undefined) view.case = row.payload.case;
  if (row.acknowledgedAt !== null) view.acknowledgedAt = new Date(row.acknowledgedAt).toISOString();
  if (row.acknowledgedBy !== null) view.acknowledgedBy = row.acknowledgedBy;
  if (row.caseId !== null) view.caseId = row.caseId;
  if (dead !== undefined) view.deadDeliveries = dead;
  return view;
}

/** Groups dead deliveries by event id, keeping their order. */
export function deadByEvent(
  rows: ReadonlyArray<{ eventId: string; channel: string; target: string; error: string | null }>,
  into: Map<string, NonNullable<EventView['deadDeliveries']>> = new Map(),
): Map<string, NonNullable<EventView['deadDeliveries']>> {
  for (const { eventId, ...delivery } of rows) into.set(eventId, [...(into.get(eventId) ?? []), delivery]);
  return into;
}
