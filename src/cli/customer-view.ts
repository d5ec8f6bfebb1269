/**
 * One customer whole, as `customers show --json` gives it: the register row, the registration and
 * list entries of its latest snapshot, its grade with the rule that decided it and the rules skipped,
 * the strategy of that grade, and its recent events. `openCase` is the case not yet resolved, if any.
 */
import type { CaseView } from '../app/case-view.js';
import { isRemoved } from '../domain/diff-entries.js';
import type { GradeResult, SectionGap } from '../domain/grade-customer.js';
import { gradeResultText, skippedRuleText } from '../domain/grade-text.js';
import { gradeLabel, type Grade, type Language } from '../domain/grades.js';
import { LIST_SECTIONS, OPTIONAL_LIST_SECTIONS, type AnyListSection, type ListEntry, type Snapshot } from '../domain/snapshot.js';
import type { Strategy } from '../domain/strategy.js';
import type { CustomerRecord } from '../store/customers-repository.js';
import type { EventView } from '../store/events-repository.js';
import { customerJson } from './customers-list-command.js';

/** A list entry as shown: the snapshot's, without the bookkeeping of missed reads. */
export type EntryView = Omit<ListEntry, 'missingReads'>;

export interface GradeView {
  grade: Grade;
  /** 优质 … 未评级, or excellent … unrated, in the configured language. */
  label: string;
  /** The rule that decided the stored grade; null while unrated. */
  rule: string | null;
  /** ISO 8601 UTC; null while unrated. */
  gradedAt: string | null;
  /** "风险（规则 abnormal-operations-in-force）". */
  text: string;
  /** Rules before the deciding one that could not be evaluated (a section off or never read), in rule order. */
  skipped: Array<{ rule: string; grade: Grade; sections: SectionGap[]; text: string }>;
  /**
   * What the rules give now, when that differs from the stored grade (the configuration or the
   * figures changed since the last grading; the next check or figures import records it).
   */
  now?: { grade: Grade; rule: string | null; text: string };
}

export interface CustomerView {
  customer: Record<string, unknown>;
  /** When the latest snapshot was taken, ISO 8601 UTC; null when the customer was never read. */
  snapshotAt: string | null;
  registration: Snapshot['registration'];
  /** Every list read at least once, its entries in force and removed. */
  lists: Partial<Record<AnyListSection, { inForce: EntryView[]; removed: EntryView[] }>>;
  grade: GradeView;
  strategy: Strategy;
  /** The customer's case not yet resolved (open or acknowledged), or null. */
  openCase: CaseView | null;
  /** The customer's last events, newest first. */
  recentEvents: EventView[];
}

export interface CustomerViewInput {
  customer: CustomerRecord;
  snapshot: { takenAt: number; body: Snapshot } | undefined;
  /** The rules applied to the customer's facts now (for the skipped rules). */
  graded: GradeResult;
  strategy: Strategy;
  events: EventView[];
  language: Language;
  openCase: CaseView | null;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function entryView(entry: ListEntry): EntryView {
  const { key, listedOn, reason, authority, removedOn, removalReason } = entry;
  return { key, listedOn, reason, authority, removedOn, removalReason };
}

function listsOf(snapshot: Snapshot): CustomerView['lists'] {
  const lists: CustomerView['lists'] = {};
  for (const section of [...LIST_SECTIONS, ...OPTIONAL_LIST_SECTIONS]) {
    const entries = snapshot[section];
    if (entries === null || entries === undefined) continue;
    lists[section] = {
      inForce: entries.filter((e) => !isRemoved(e)).map(entryView),
      removed: entries.filter((e) => isRemoved(e)).map(entryView),
    };
  }
  return lists;
}

function gradeView(customer: CustomerRecord, graded: GradeResult, language: Language): GradeView {
  const stored: GradeResult = { grade: customer.grade, rule: customer.gradeRule, skipped: graded.skipped };
  const view: GradeView = {
    grade: customer.grade,
    label: gradeLabel(customer.grade, language),
    rule: customer.gradeRule,
    gradedAt: iso(customer.gradedAt),
    text: gradeResultText(stored, language),
    skipped: graded.skipped.map((s) => ({ ...s, text: skippedRuleText(s, language) })),
  };
  if (graded.grade !== customer.grade || graded.rule !== customer.gradeRule) {
    view.now = { grade: graded.grade, rule: graded.rule, text: gradeResultText(graded, language) };
  }
  return view;
}

export function customerView(input: CustomerViewInput): CustomerView {
  const { customer, snapshot } = input;
  return {
    customer: { ...customerJson(customer), gradeRule: customer.gradeRule, gradedAt: iso(customer.gradedAt) },
    snapshotAt: snapshot === undefined ? null : new Date(snapshot.takenAt).toISOString(),
    registration: snapshot?.body.registration ?? null,
    lists: snapshot === undefined ? {} : listsOf(snapshot.body),
    grade: gradeView(customer, input.graded, input.language),
    strategy: input.strategy,
    openCase: input.openCase,
    recentEvents: input.events,
  };
}
