/**
 * Grading as part of a check or a figures import: the facts from what was read and the customer's
 * entry history, the decision (domain/grade-decision.ts), and what to store and raise.
 */
import { shanghaiDay } from '../domain/dates.js';
import { entryEventKind, historicEntries, type EntryEvent } from '../domain/entry-history.js';
import type { EventDraft } from '../domain/events.js';
import { decideGrade, gradeChangeDraft, type GradeDecision, type GradingPolicy } from '../domain/grade-decision.js';
import { gradeFacts } from '../domain/grade-facts.js';
import type { Grade } from '../domain/grades.js';
import type { Snapshot } from '../domain/snapshot.js';
import type { CheckStore, Customer, GradeWrite } from './ports.js';

export interface GradeOutcome {
  decision: GradeDecision;
  /** What to store (absent: undetermined, the stored grade stands). */
  write?: GradeWrite;
  /** The `grade.changed` event to raise, if any. */
  draft: EventDraft | null;
}

/** The grade part of a check's outcome: where it stood and where it stands. */
export interface GradeSummary {
  before: Grade;
  after: Grade;
  /** The rule behind `after`: the deciding rule, or the stored one when undetermined. */
  rule: string | null;
  /** false: what was read could not tell, so the stored grade stands. */
  decided: boolean;
}

export interface GradeReadOptions {
  /** Entry events found by the check under way (not stored yet). */
  found?: readonly EventDraft[];
  /** false when the customer has no stored snapshot, so no stored entry events either. */
  hasHistory?: boolean;
  /** Store the grade but raise no event for it (a change seen only through a new method). */
  quiet?: boolean;
}

/** Grades `customer` from `read` (what grading may read: see readSections) at `now` (epoch ms). */
export async function gradeRead(
  store: Pick<CheckStore, 'entryEvents' | 'latestFigures'>,
  policy: GradingPolicy,
  customer: Customer,
  read: Snapshot,
  now: number,
  options: GradeReadOptions = {},
): Promise<GradeOutcome> {
  // No registration read, no grade: spare the reads.
  if (read.registration === null) return { decision: decideGrade(policy, gradeFacts(null), null, now), draft: null };
  const stored = options.hasHistory === false ? [] : await store.entryEvents(customer.id);
  const figures = await store.latestFigures(customer.id);
  const facts = gradeFacts(read, historicEntries([...stored, ...entryEventsOf(options.found ?? [], shanghaiDay(now))]));
  const decision = decideGrade(policy, facts, figures, now);
  if (decision.kind === 'undetermined') return { decision, draft: null };
  return {
    decision,
    write: { grade: decision.grade, previous: customer.grade, rule: decision.rule, figures },
    draft: options.quiet === true ? null : gradeChangeDraft(customer.grade, decision, policy.strategies),
  };
}

/** The summary of an outcome for `customer`'s stored grade. */
export function gradeSummary(customer: Customer, outcome: GradeOutcome): GradeSummary {
  if (outcome.decision.kind === 'undetermined') return { before: customer.grade, after: customer.grade, rule: customer.gradeRule, decided: false };
  return { before: customer.grade, after: outcome.decision.grade, rule: outcome.decision.rule, decided: true };
}

/**
 * What the event id of a grade change is found against: the snapshot it was decided from and the
 * grading it follows, since a grade can recur (good → fair → good → fair) on one snapshot.
 */
export function gradeEventBasis(snapshotBasis: string, customer: Customer): string {
  return `${snapshotBasis}|grade@${String(customer.gradedAt ?? 'never')}`;
}

function entryEventsOf(drafts: readonly EventDraft[], detectedOn: string): EntryEvent[] {
  return drafts.flatMap((draft) =>
    draft.entry !== undefined && entryEventKind(draft.type) !== undefined ? [{ type: draft.type, entry: draft.entry, detectedOn }] : [],
  );
}
