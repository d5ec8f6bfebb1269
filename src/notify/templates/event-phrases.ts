import type { EventType } from '../../domain/events.js';
import type { EventMessage } from '../channel.js';
import { casePhrase } from './case-phrases.js';
import { gradePhrase } from './grade-phrases.js';
import type { EmailLanguage } from './language.js';

type Phrase = Readonly<Record<EmailLanguage, string>>;

const STATUS_LABELS: Readonly<Record<string, Phrase>> = {
  active: { 'zh-CN': '存续', en: 'active' },
  suspended: { 'zh-CN': '停业', en: 'suspended' },
  liquidating: { 'zh-CN': '清算', en: 'in liquidation' },
  relocated_out: { 'zh-CN': '迁出', en: 'relocated out' },
  withdrawn: { 'zh-CN': '撤销', en: 'withdrawn' },
  revoked: { 'zh-CN': '吊销', en: 'revoked' },
  cancelled: { 'zh-CN': '注销', en: 'cancelled' },
  unknown: { 'zh-CN': '未知状态', en: 'unknown' },
  not_found: { 'zh-CN': '查无此企业', en: 'not found' },
};

/** A registration status code as a reader knows it (吊销, revoked); an unknown code as is. */
export function statusLabel(code: string | null, language: EmailLanguage): string {
  if (code === null) return language === 'en' ? '(none)' : '（无）';
  return STATUS_LABELS[code]?.[language] ?? code;
}

const FIXED: Readonly<Partial<Record<EventType, Phrase>>> = {
  'serious_violation.listed': { 'zh-CN': '被列入严重违法失信名单', en: 'listed as a seriously illegal and dishonest enterprise' },
  'serious_violation.removed': { 'zh-CN': '移出严重违法失信名单', en: 'removed from the serious violation list' },
  'abnormal_operations.listed': { 'zh-CN': '被列入经营异常名录', en: 'listed in the abnormal operations list' },
  'abnormal_operations.removed': { 'zh-CN': '移出经营异常名录', en: 'removed from the abnormal operations list' },
  'abnormal_operations.escalation_due': {
    'zh-CN': '列入经营异常名录即将届满三年（届满将列入严重违法失信名单）',
    en: 'nears three years on the abnormal operations list (then the serious violation list)',
  },
  'administrative_penalty.added': { 'zh-CN': '被行政处罚', en: 'received an administrative penalty' },
  'dishonest_debtor.listed': { 'zh-CN': '被列为失信被执行人', en: 'listed as a dishonest judgment debtor' },
  'dishonest_debtor.removed': { 'zh-CN': '移出失信被执行人名单', en: 'removed from the dishonest judgment debtor list' },
  'registration.not_found': { 'zh-CN': '查无此企业', en: 'not found in the business registry' },
  'registration.name_changed': { 'zh-CN': '名称变更', en: 'name changed' },
  'registration.legal_representative_changed': { 'zh-CN': '法定代表人变更', en: 'legal representative changed' },
  'registration.address_changed': { 'zh-CN': '住所变更', en: 'registered address changed' },
  'registration.business_scope_changed': { 'zh-CN': '经营范围变更', en: 'business scope changed' },
  'monitoring.degraded': { 'zh-CN': '监控异常', en: 'monitoring degraded' },
  'monitoring.recovered': { 'zh-CN': '监控恢复', en: 'monitoring recovered' },
};

/** What happened, as the end of a subject: 被列入严重违法失信名单, 登记状态变更为吊销, 信用等级下调为风险, … */
export function eventPhrase(message: EventMessage, language: EmailLanguage): string {
  const fixed = FIXED[message.type];
  if (fixed) return fixed[language];
  if (message.type === 'grade.changed') return gradePhrase(message, language);
  const kase = casePhrase(message, language);
  if (kase !== undefined) return kase;
  if (message.type === 'annual_report.missing') return annualReportPhrase(message.annualReport?.year, language);
  const after = message.change?.after ?? null;
  if (message.type === 'registration.status_changed') {
    return language === 'en' ? `registration status changed to ${statusLabel(after, language)}` : `登记状态变更为${statusLabel(after, language)}`;
  }
  // registration.registered_capital_changed: the message carries no trend, so read it back from the
  // formatted amounts ("10000000 CNY"); only one currency on both sides says up or down.
  const trend = capitalTrend(message.change?.before ?? null, after);
  if (language === 'en') return trend === 'fell' ? 'registered capital decreased' : trend === 'rose' ? 'registered capital increased' : 'registered capital changed';
  return trend === 'fell' ? '注册资本减少' : trend === 'rose' ? '注册资本增加' : '注册资本变更';
}

/** 未按期公示2025年度报告: the report on `year` was not published by 30 June of the year after. */
function annualReportPhrase(year: number | undefined, language: EmailLanguage): string {
  if (language === 'en') return `did not publish its ${year === undefined ? "last year's" : String(year)} annual report by 30 June`;
  return `未按期公示${year === undefined ? '上一' : String(year)}年度报告`;
}

function capitalTrend(before: string | null, after: string | null): 'fell' | 'rose' | undefined {
  const parse = (text: string | null): { amount: number; currency: string } | undefined => {
    const match = text === null ? null : /^(\d+(?:\.\d+)?) ([A-Z]{3})$/.exec(text);
    return match ? { amount: Number(match[1]), currency: match[2] ?? '' } : undefined;
  };
  const a = parse(before);
  const b = parse(after);
  if (!a || !b || a.currency !== b.currency || a.amount === b.amount) return undefined;
  return b.amount < a.amount ? 'fell' : 'rose';
}
