/**
 * Domain words in the console's language, taken from the e-mail templates and the domain so the
 * console, the alerts and `customers show` name things alike.
 */
import type { Role } from '../../domain/api-tokens.js';
import type { CaseDecision } from '../../domain/cases.js';
import { EVENT_TYPES, type EventType, type Tier } from '../../domain/events.js';
import { gradeLabel, isGrade } from '../../domain/grades.js';
import type { OptionalSectionName } from '../../domain/sections.js';
import type { EventMessage } from '../../notify/channel.js';
import { caseStateName, decisionName } from '../../notify/templates/case-phrases.js';
import { eventPhrase } from '../../notify/templates/event-phrases.js';
import { sourceName, tierLabel } from '../../notify/templates/language.js';
import type { EventView } from '../../store/event-view.js';
import { listName } from '../../domain/grade-text.js';
import { messages, type Lang } from './i18n.js';

export { caseStateName, decisionName, sourceName };

/** 红色预警 … 提示, or Red alert … Notice. */
export function tierName(tier: Tier, lang: Lang): string {
  return tierLabel(tier, lang);
}

/** 优质 … 未评级; an unknown code as is. */
export function gradeName(grade: string, lang: Lang): string {
  return isGrade(grade) ? gradeLabel(grade, lang) : grade;
}

export function roleName(role: Role, lang: Lang): string {
  return messages(lang).roles[role];
}

/** The decisions with their words, in the order the resolve form offers them. */
export function decisionOptions(lang: Lang): Array<{ value: CaseDecision; label: string }> {
  return (['continue', 'restrict', 'suspend', 'terminate'] as const).map((value) => ({ value, label: decisionName(value, lang) }));
}

/** 行政处罚 / 失信被执行人 / 年度报告, for the settings page. */
export function sectionName(section: OptionalSectionName, lang: Lang): string {
  if (section === 'annualReports') return lang === 'en' ? 'annual reports' : '年度报告';
  return listName(section, lang);
}

type Phrase = Readonly<Record<Lang, string>>;

/** What kind of event, without its particulars: for lists that only know the type (a case's events). */
const TYPE_NAMES: Readonly<Record<EventType, Phrase>> = {
  'registration.status_changed': { 'zh-CN': '登记状态变更', en: 'registration status changed' },
  'registration.not_found': { 'zh-CN': '查无此企业', en: 'not found in the business registry' },
  'registration.name_changed': { 'zh-CN': '名称变更', en: 'name changed' },
  'registration.legal_representative_changed': { 'zh-CN': '法定代表人变更', en: 'legal representative changed' },
  'registration.registered_capital_changed': { 'zh-CN': '注册资本变更', en: 'registered capital changed' },
  'registration.address_changed': { 'zh-CN': '住所变更', en: 'registered address changed' },
  'registration.business_scope_changed': { 'zh-CN': '经营范围变更', en: 'business scope changed' },
  'abnormal_operations.listed': { 'zh-CN': '被列入经营异常名录', en: 'listed in the abnormal operations list' },
  'abnormal_operations.removed': { 'zh-CN': '移出经营异常名录', en: 'removed from the abnormal operations list' },
  'serious_violation.listed': { 'zh-CN': '被列入严重违法失信名单', en: 'listed as seriously illegal and dishonest' },
  'serious_violation.removed': { 'zh-CN': '移出严重违法失信名单', en: 'removed from the serious violation list' },
  'administrative_penalty.added': { 'zh-CN': '被行政处罚', en: 'administrative penalty' },
  'dishonest_debtor.listed': { 'zh-CN': '被列为失信被执行人', en: 'listed as a dishonest judgment debtor' },
  'dishonest_debtor.removed': { 'zh-CN': '移出失信被执行人名单', en: 'removed from the dishonest judgment debtor list' },
  'monitoring.degraded': { 'zh-CN': '监控异常', en: 'monitoring degraded' },
  'monitoring.recovered': { 'zh-CN': '监控恢复', en: 'monitoring recovered' },
  'grade.changed': { 'zh-CN': '信用等级变更', en: 'credit grade changed' },
  'abnormal_operations.escalation_due': { 'zh-CN': '经营异常名录即将届满三年', en: 'nears three years on the abnormal operations list' },
  'annual_report.missing': { 'zh-CN': '未按期公示年度报告', en: 'annual report not published' },
  'case.opened': { 'zh-CN': '立案', en: 'case opened' },
  'case.overdue': { 'zh-CN': '案件逾期', en: 'case overdue' },
  'case.resolved': { 'zh-CN': '结案', en: 'case resolved' },
};

/** The kind of event in words; an unknown type as is. */
export function eventTypeName(type: string, lang: Lang): string {
  return (EVENT_TYPES as readonly string[]).includes(type) ? TYPE_NAMES[type as EventType][lang] : type;
}

/** What happened, with its particulars (登记状态变更为吊销, 信用等级下调为风险), as the alerts say it. */
export function eventViewPhrase(event: EventView, lang: Lang): string {
  // The e-mail phrases read an EventMessage; a stored event has every field they use but tags and source.
  const message: EventMessage = { ...event, customer: { ...event.customer, tags: [] }, source: '' };
  return eventPhrase(message, lang);
}
