import type { EventMessage } from '../channel.js';
import type { EmailLanguage } from './language.js';
import { statusLabel } from './event-phrases.js';
import { caseDetails } from './case-phrases.js';
import { clockDetails } from './clock-phrases.js';
import { gradeDetails, gradeName } from './grade-phrases.js';

/** One labelled line of "what changed", plain text; the HTML renderer escapes it. */
export interface DetailLine {
  label: string;
  value: string;
}

const FIELD_LABELS: Readonly<Record<string, Readonly<Record<EmailLanguage, string>>>> = {
  status: { 'zh-CN': '登记状态', en: 'Registration status' },
  name: { 'zh-CN': '企业名称', en: 'Name' },
  legalRepresentative: { 'zh-CN': '法定代表人', en: 'Legal representative' },
  registeredCapital: { 'zh-CN': '注册资本', en: 'Registered capital' },
  address: { 'zh-CN': '住所', en: 'Registered address' },
  businessScope: { 'zh-CN': '经营范围', en: 'Business scope' },
  consecutiveFailures: { 'zh-CN': '连续失败检查次数', en: 'Consecutive failed checks' },
  grade: { 'zh-CN': '信用等级', en: 'Credit grade' },
};

const ENTRY_LABELS = {
  'zh-CN': { listedOn: '列入日期', reason: '列入原因', authority: '作出决定机关', removedOn: '移出日期', removalReason: '移出原因' },
  en: { listedOn: 'Listed on', reason: 'Reason', authority: 'Decided by', removedOn: 'Removed on', removalReason: 'Removal reason' },
} as const;

const EVIDENCE = {
  'zh-CN': { removal_date: '数据源给出了移出日期', missing: '连续两次查询中不再出现' },
  en: { removal_date: 'the source gave a removal date', missing: 'absent from two successive reads' },
} as const;

/**
 * What changed: "before → after" for a field, the list entry's date, reason and authority, a missing
 * annual report's year and deadline, a grade's rule and strategy.
 */
export function eventDetails(message: EventMessage, language: EmailLanguage): DetailLine[] {
  const none = language === 'en' ? '(none)' : '（无）';
  const lines: DetailLine[] = [];
  if (message.change) {
    const { field, before, after } = message.change;
    const show = (value: string | null): string =>
      field === 'status' ? statusLabel(value, language) : field === 'grade' ? gradeName(value, language) : (value ?? none);
    lines.push({ label: FIELD_LABELS[field]?.[language] ?? field, value: `${show(before)} → ${show(after)}` });
  }
  if (message.entry) {
    const labels = ENTRY_LABELS[language];
    const entry = message.entry;
    lines.push({ label: labels.listedOn, value: entry.listedOn ?? none });
    lines.push({ label: labels.reason, value: entry.reason });
    lines.push({ label: labels.authority, value: entry.authority ?? none });
    if (entry.removedOn !== null) lines.push({ label: labels.removedOn, value: entry.removedOn });
    if (entry.removalReason !== null) lines.push({ label: labels.removalReason, value: entry.removalReason });
  }
  if (message.evidence !== undefined) {
    lines.push({ label: language === 'en' ? 'Evidence' : '移出依据', value: EVIDENCE[language][message.evidence] });
  }
  if (message.annualReport) {
    const { year } = message.annualReport;
    lines.push({ label: language === 'en' ? 'Report year' : '报告年度', value: language === 'en' ? String(year) : `${year}年度` });
    lines.push({ label: language === 'en' ? 'Publication deadline' : '公示截止日期', value: `${year + 1}-06-30` });
  }
  lines.push(...gradeDetails(message, language));
  lines.push(...caseDetails(message, language));
  lines.push(...clockDetails(message, language));
  return lines;
}
