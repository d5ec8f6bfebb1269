/**
 * Grading one customer: the first rule whose conditions all hold decides. A condition on a list
 * that is switched off (`provider.sections`) or was never read cannot be known, so a rule that needs
 * it is skipped, and the result says so, rather than guessing either way. A rule with a condition
 * known to be false does not match, whatever else it needs.
 */
import { daysBefore, monthsBefore, yearsBefore } from './calendar-days.js';
import { shanghaiDay } from './dates.js';
import type { GradeEntry, GradeFacts } from './grade-facts.js';
import type { Grade, RatedGrade } from './grades.js';
import { LIST_CONDITION_SECTIONS, type FiguresCondition, type GradingRule, type ListCondition, type RuleConditions } from './grading-rules.js';
import { isOptionalSection, type OptionalSections } from './sections.js';
import type { AnyListSection } from './snapshot.js';
import type { TradingFigures } from './trading-figures.js';

/** Why a list could not be read for a rule. */
export interface SectionGap {
  section: AnyListSection;
  /** `section_off`: not fetched by configuration; `section_unread`: never read successfully yet. */
  reason: 'section_off' | 'section_unread';
}

export interface SkippedRule {
  rule: string;
  grade: RatedGrade;
  /** Every list the rule needed and could not have. */
  sections: SectionGap[];
}

export interface GradeResult {
  grade: Grade;
  /** The rule that decided; null while the customer is unrated (no successful read yet). */
  rule: string | null;
  /** The rules before the deciding one that could not be evaluated, in rule order. */
  skipped: SkippedRule[];
}

type Truth = boolean | SectionGap;

/**
 * Grades a customer. `figures` are its latest (see `latestFigures`), `enabledSections` the optional
 * sections its provider fetches, `now` epoch ms (dates compare on the Asia/Shanghai calendar).
 * @throws Error when `rules` lack the fallback (configuration refuses such a list).
 */
export function gradeCustomer(
  rules: readonly GradingRule[],
  facts: GradeFacts,
  figures: TradingFigures | null,
  enabledSections: OptionalSections,
  now: number,
): GradeResult {
  if (facts.registration === null) return { grade: 'unrated', rule: null, skipped: [] };
  const context: Context = { facts, figures, enabledSections, today: shanghaiDay(now) };
  const skipped: SkippedRule[] = [];
  for (const rule of rules) {
    const outcome = evaluate(rule.when, context);
    if (outcome === true) return { grade: rule.grade, rule: rule.name, skipped };
    if (outcome !== false) skipped.push({ rule: rule.name, grade: rule.grade, sections: outcome });
  }
  throw new Error('grading rules end without a fallback (a last rule with an empty "when")');
}

interface Context {
  facts: GradeFacts;
  figures: TradingFigures | null;
  enabledSections: OptionalSections;
  /** YYYY-MM-DD, Asia/Shanghai. */
  today: string;
}

/** true when every condition holds; false when one is known false; else the lists that were missing. */
function evaluate(when: RuleConditions, context: Context): true | false | SectionGap[] {
  const truths: Truth[] = [registrationTruth(when, context)];
  for (const section of LIST_CONDITION_SECTIONS) {
    const condition = when[section];
    if (condition !== undefined) truths.push(listTruth(section, condition, context));
  }
  if (when.figures !== undefined) truths.push(figuresTruth(when.figures, context));
  if (truths.includes(false)) return false;
  const gaps = truths.filter((truth): truth is SectionGap => typeof truth === 'object');
  return gaps.length === 0 ? true : gaps;
}

function registrationTruth(when: RuleConditions, { facts }: Context): boolean {
  const registration = facts.registration;
  if (registration === null) return false;
  const notFound = 'notFound' in registration;
  if (when.notFound !== undefined && when.notFound !== notFound) return false;
  if (when.statusIn !== undefined && ('notFound' in registration || !when.statusIn.includes(registration.status))) return false;
  return true;
}

function listTruth(section: AnyListSection, condition: ListCondition, context: Context): Truth {
  if (isOptionalSection(section) && !context.enabledSections[section]) return { section, reason: 'section_off' };
  const entries = context.facts.lists[section];
  if (entries === undefined) return { section, reason: 'section_unread' };
  const { today } = context;
  const listedSince = (years: number): boolean => entries.some((entry) => listedAfter(entry, yearsBefore(today, years)));
  if (condition.inForce !== undefined && entries.some((entry) => entry.state === 'in_force') !== condition.inForce) return false;
  if (condition.anyWithinYears !== undefined && !listedSince(condition.anyWithinYears)) return false;
  if (condition.noneWithinYears !== undefined && listedSince(condition.noneWithinYears)) return false;
  if (condition.removedWithinMonths !== undefined) {
    const cutoff = monthsBefore(today, condition.removedWithinMonths);
    if (!entries.some((entry) => entry.state === 'removed' && (entry.removedOn === null || entry.removedOn > cutoff))) return false;
  }
  return true;
}

/** Listed after `cutoff` (less than the period ago); an undated entry cannot be shown to be older. */
function listedAfter(entry: GradeEntry, cutoff: string): boolean {
  return entry.listedOn === null || entry.listedOn > cutoff;
}

function figuresTruth(condition: FiguresCondition, { figures, today }: Context): boolean {
  if (condition.present !== undefined && condition.present !== (figures !== null)) return false;
  if (figures === null) return condition.present === false;
  if (condition.maxAgeDays !== undefined && figures.asOf < daysBefore(today, condition.maxAgeDays)) return false;
  if (condition.olderThanDays !== undefined && figures.asOf >= daysBefore(today, condition.olderThanDays)) return false;
  if (condition.onTimePaymentRateAtLeast !== undefined && figures.onTimePaymentRate < condition.onTimePaymentRateAtLeast) return false;
  if (condition.fulfilmentRateAtLeast !== undefined && figures.fulfilmentRate < condition.fulfilmentRateAtLeast) return false;
  if (condition.overdueAmountAtMost !== undefined && (figures.overdueAmount === null || figures.overdueAmount > condition.overdueAmountAtMost)) {
    return false;
  }
  return true;
}
