/** A case as `cases list --json` and `cases show --json` print it (and the API will answer it). */
import type { CaseDeadline, CaseDeadlineKind, CaseRecord } from '../domain/cases.js';
import type { CaseDetail } from './case-ports.js';

export interface DeadlineView {
  /** `YYYY-MM-DD`, Asia/Shanghai: the last day of the period. */
  day: string;
  /** ISO 8601 UTC: the end of that day; overdue after it. */
  dueAt: string;
  provisional: boolean;
  /** When `case.overdue` was raised for it (ISO), absent while not. */
  overdueRaisedAt?: string;
}

export interface CaseView {
  id: string;
  state: CaseRecord['state'];
  tier: CaseRecord['tier'];
  customer: { uscc: string; name: string };
  openedAt: string;
  assignee: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  acknowledgementNote: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  decision: CaseRecord['decision'];
  resolutionNote: string | null;
  /** The deadline that is next (acknowledge while open, then resolve); null once resolved. */
  dueAt: string | null;
  /** Deadlines passed at the time of reading and not met. */
  overdue: CaseDeadlineKind[];
  deadlines: Record<CaseDeadlineKind, DeadlineView>;
}

export interface CaseDetailView extends CaseView {
  events: Array<{ id: string; type: string; tier: string; detectedAt: string; acknowledgedAt: string | null }>;
  deliveries: CaseDetail['deliveries'];
  audit: Array<{ at: string; actor: string; action: string; details: Record<string, unknown> }>;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The deadlines `record` has missed at `now`: acknowledge while still open, resolve until resolved. */
export function missedDeadlines(record: CaseRecord, now: number): CaseDeadlineKind[] {
  if (record.state === 'resolved') return [];
  const missed: CaseDeadlineKind[] = [];
  if (record.state === 'open' && now >= record.acknowledgeDue.dueAt) missed.push('acknowledge');
  if (now >= record.resolveDue.dueAt) missed.push('resolve');
  return missed;
}

export function toCaseView(record: CaseRecord, now: number): CaseView {
  const deadline = (due: CaseDeadline, kind: CaseDeadlineKind): DeadlineView => {
    const raised = record.overdueRaisedAt[kind];
    return { day: due.day, dueAt: new Date(due.dueAt).toISOString(), provisional: due.provisional, ...(raised === null ? {} : { overdueRaisedAt: new Date(raised).toISOString() }) };
  };
  const next = record.state === 'resolved' ? null : record.state === 'open' ? record.acknowledgeDue : record.resolveDue;
  return {
    id: record.id,
    state: record.state,
    tier: record.tier,
    customer: { uscc: record.uscc, name: record.customerName },
    openedAt: new Date(record.openedAt).toISOString(),
    assignee: record.assignee,
    acknowledgedAt: iso(record.acknowledgedAt),
    acknowledgedBy: record.acknowledgedBy,
    acknowledgementNote: record.acknowledgementNote,
    resolvedAt: iso(record.resolvedAt),
    resolvedBy: record.resolvedBy,
    decision: record.decision,
    resolutionNote: record.resolutionNote,
    dueAt: next === null ? null : new Date(next.dueAt).toISOString(),
    overdue: missedDeadlines(record, now),
    deadlines: { acknowledge: deadline(record.acknowledgeDue, 'acknowledge'), resolve: deadline(record.resolveDue, 'resolve') },
  };
}

export function toCaseDetailView(detail: CaseDetail, now: number): CaseDetailView {
  return {
    ...toCaseView(detail.case, now),
    events: detail.events.map((e) => ({ id: e.id, type: e.type, tier: e.tier, detectedAt: new Date(e.detectedAt).toISOString(), acknowledgedAt: iso(e.acknowledgedAt) })),
    deliveries: detail.deliveries,
    audit: detail.audit.map((a) => ({ at: new Date(a.at).toISOString(), actor: a.actor, action: a.action, details: a.details })),
  };
}
