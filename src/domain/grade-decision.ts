/**
 * Whether a check (or a figures import) may set a customer's grade, and the event it raises. A grade
 * is decided only from what was read: a section that failed is not read, and when a rule that could
 * still have matched needed it, the grade cannot be told and the stored one stands (no false alert,
 * either way). A listing read in the same check decides at once when no unread rule could say
 * otherwise.
 */
import type { EventDraft } from './events.js';
import { gradeCustomer, type GradeResult } from './grade-customer.js';
import type { GradeFacts } from './grade-facts.js';
import type { Grade, RatedGrade } from './grades.js';
import type { GradingRule } from './grading-rules.js';
import type { OptionalSections, SectionName } from './sections.js';
import { OPTIONAL_LIST_SECTIONS, type Snapshot } from './snapshot.js';
import type { Strategies } from './strategy.js';
import type { TradingFigures } from './trading-figures.js';

/** What grading is configured with: `grading`, `strategy` and the provider's optional sections. */
export interface GradingPolicy {
  rules: readonly GradingRule[];
  strategies: Strategies;
  enabledSections: OptionalSections;
}

export type GradeDecision =
  /** The grade cannot be told from what was read: keep the stored one. */
  | { kind: 'undetermined'; result: GradeResult }
  | { kind: 'graded'; grade: RatedGrade; rule: string; result: GradeResult };

/**
 * Grades and judges the result. Undetermined when nothing decides (no registration read) or when a
 * rule skipped only for lists not read (`section_unread`) gives another grade: had the list been
 * read, that rule might have matched. A rule skipped for a list switched off can never match.
 */
export function decideGrade(policy: GradingPolicy, facts: GradeFacts, figures: TradingFigures | null, now: number): GradeDecision {
  const result = gradeCustomer(policy.rules, facts, figures, policy.enabledSections, now);
  if (result.grade === 'unrated' || result.rule === null) return { kind: 'undetermined', result };
  const grade = result.grade;
  const couldDiffer = result.skipped.some(
    (skipped) => skipped.grade !== grade && skipped.sections.every((gap) => gap.reason === 'section_unread'),
  );
  return couldDiffer ? { kind: 'undetermined', result } : { kind: 'graded', grade, rule: result.rule, result };
}

/**
 * The snapshot as grading may read it after a check: sections that failed this time (or were held)
 * are left unread, though the stored snapshot carries their last value forward.
 */
export function readSections(snapshot: Snapshot, unread: readonly SectionName[]): Snapshot {
  const skip = new Set(unread);
  const view: Snapshot = {
    registration: skip.has('registration') ? null : snapshot.registration,
    abnormalOperations: skip.has('abnormalOperations') ? null : snapshot.abnormalOperations,
    seriousViolations: skip.has('seriousViolations') ? null : snapshot.seriousViolations,
  };
  // An optional section is left out, not null, while it is not read (as in a snapshot).
  for (const section of OPTIONAL_LIST_SECTIONS) {
    const entries = snapshot[section];
    if (entries !== undefined && !skip.has(section)) view[section] = entries;
  }
  return view;
}

/**
 * The `grade.changed` draft for a decided grade, or null when none is raised: the grade is the
 * stored one, or it is a first grade other than risk. A first grade is our first opinion, not a
 * change in the customer's standing, so onboarding a portfolio raises no alert per customer; a
 * customer that is risk from its first grade is told at once (high, `baseline: true`).
 */
export function gradeChangeDraft(previous: Grade, decided: { grade: RatedGrade; rule: string }, strategies: Strategies): EventDraft | null {
  if (previous === decided.grade) return null;
  if (previous === 'unrated' && decided.grade !== 'risk') return null;
  return {
    type: 'grade.changed',
    baseline: previous === 'unrated',
    change: { field: 'grade', before: previous, after: decided.grade },
    grade: { grade: decided.grade, rule: decided.rule },
    strategy: { ...strategies[decided.grade] },
  };
}
