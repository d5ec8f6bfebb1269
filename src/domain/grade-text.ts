/** A grade result in words (zh-CN or English): which rule decided, and which rules were skipped and why. */
import type { GradeResult, SectionGap, SkippedRule } from './grade-customer.js';
import { gradeLabel, type Language } from './grades.js';
import type { AnyListSection } from './snapshot.js';

const LIST_NAMES: Readonly<Record<AnyListSection, Readonly<Record<Language, string>>>> = {
  abnormalOperations: { 'zh-CN': '经营异常名录', en: 'the abnormal operations list' },
  seriousViolations: { 'zh-CN': '严重违法失信名单', en: 'the serious violations list' },
  administrativePenalties: { 'zh-CN': '行政处罚', en: 'administrative penalties' },
  dishonestDebtors: { 'zh-CN': '失信被执行人', en: 'dishonest judgment debtors' },
};

/** 经营异常名录 / the abnormal operations list, … */
export function listName(section: AnyListSection, language: Language): string {
  return LIST_NAMES[section][language];
}

function gapText(gap: SectionGap, language: Language): string {
  const list = LIST_NAMES[gap.section][language];
  if (language === 'en') {
    return gap.reason === 'section_off' ? `${list} (switched off in provider.sections)` : `${list} (not read successfully yet)`;
  }
  return gap.reason === 'section_off' ? `${list}（provider.sections 未开启）` : `${list}（尚未成功读取）`;
}

/** "跳过规则 excellent（优质）：无法判断 行政处罚（provider.sections 未开启）". */
export function skippedRuleText(skipped: SkippedRule, language: Language): string {
  const needs = skipped.sections.map((gap) => gapText(gap, language));
  if (language === 'en') return `skipped rule ${skipped.rule} (${gradeLabel(skipped.grade, language)}): cannot tell ${needs.join(', ')}`;
  return `跳过规则 ${skipped.rule}（${gradeLabel(skipped.grade, language)}）：无法判断${needs.join('、')}`;
}

/** The grade and the rule that decided it: "风险（规则 abnormal-operations-in-force）". */
export function gradeResultText(result: GradeResult, language: Language): string {
  const grade = gradeLabel(result.grade, language);
  if (result.rule === null) return language === 'en' ? `${grade} (no successful check yet)` : `${grade}（尚无成功的检查）`;
  return language === 'en' ? `${grade} (rule ${result.rule})` : `${grade}（规则 ${result.rule}）`;
}
