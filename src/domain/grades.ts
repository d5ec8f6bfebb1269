/**
 * Credit grades (信用等级, DESIGN "Credit grades and strategy"): what the rules in `grading` decide for
 * each customer, and the order that tells a fall from a rise.
 */
import type { Tier } from './events.js';

/** The rated grades, best first, and `unrated` for a customer without a successful check yet. */
export const GRADES = ['excellent', 'good', 'fair', 'risk', 'unrated'] as const;
export type Grade = (typeof GRADES)[number];

/** The grades a rule may give: `unrated` belongs to customers never checked, never to a rule. */
export const RATED_GRADES = ['excellent', 'good', 'fair', 'risk'] as const;
export type RatedGrade = (typeof RATED_GRADES)[number];

/** The languages grades and strategies are written in (the e-mail languages: zh-CN default, English). */
export type Language = 'zh-CN' | 'en';

const GRADE_LABELS: Readonly<Record<Grade, Readonly<Record<Language, string>>>> = Object.freeze({
  excellent: { 'zh-CN': '优质', en: 'excellent' },
  good: { 'zh-CN': '良好', en: 'good' },
  fair: { 'zh-CN': '一般', en: 'fair' },
  risk: { 'zh-CN': '风险', en: 'risk' },
  unrated: { 'zh-CN': '未评级', en: 'unrated' },
});

/** 优质 … 未评级, or excellent … unrated. */
export function gradeLabel(grade: Grade, language: Language): string {
  return GRADE_LABELS[grade][language];
}

export function isGrade(value: unknown): value is Grade {
  return (GRADES as readonly unknown[]).includes(value);
}

export function isRatedGrade(value: string): value is RatedGrade {
  return (RATED_GRADES as readonly string[]).includes(value);
}

/** Higher is better; `unrated` has no rank. */
const RANK: Readonly<Record<RatedGrade, number>> = { excellent: 3, good: 2, fair: 1, risk: 0 };

/**
 * The tier of a grade change (DESIGN: to risk high, any other fall medium, a rise low); undefined when
 * the grade did not change. A first grade (from `unrated`) is `risk` → high like any listing found at
 * onboarding, anything else low. A customer never goes back to `unrated`; if asked, it is a fall.
 */
export function gradeChangeTier(before: Grade, after: Grade): Tier | undefined {
  if (before === after) return undefined;
  if (after === 'risk') return 'high';
  if (before === 'unrated') return 'low';
  if (after === 'unrated') return 'medium';
  return RANK[after] > RANK[before] ? 'low' : 'medium';
}
