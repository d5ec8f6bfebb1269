/** What case events say (case.opened, case.overdue, case.resolved): phrase, facts and what to do. */
import type { CaseDecision, CaseDeadlineKind, CaseState } from '../../domain/cases.js';
import type { EventMessage } from '../channel.js';
import type { DetailLine } from './event-details.js';
import { formatShanghaiTime } from './format-time.js';
import type { EmailLanguage } from './language.js';

type Phrase = Readonly<Record<EmailLanguage, string>>;

const DECISIONS: Readonly<Record<CaseDecision, Phrase>> = {
  continue: { 'zh-CN': '继续合作', en: 'continue trading' },
  restrict: { 'zh-CN': '限制交易', en: 'restrict trading' },
  suspend: { 'zh-CN': '暂停交易', en: 'suspend trading' },
  terminate: { 'zh-CN': '终止合作', en: 'terminate the relationship' },
};

const DEADLINES: Readonly<Record<CaseDeadlineKind, Phrase>> = {
  acknowledge: { 'zh-CN': '确认', en: 'acknowledgement' },
  resolve: { 'zh-CN': '办结', en: 'resolution' },
};

const STATES: Readonly<Record<CaseState, Phrase>> = {
  open: { 'zh-CN': '待确认', en: 'open' },
  acknowledged: { 'zh-CN': '处理中', en: 'acknowledged' },
  resolved: { 'zh-CN': '已结案', en: 'resolved' },
};

/** 待确认 / 处理中 / 已结案, or open / acknowledged / resolved; an unknown state as is. */
export function caseStateName(state: string, language: EmailLanguage): string {
  return (STATES as Readonly<Record<string, Phrase | undefined>>)[state]?.[language] ?? state;
}

export function decisionName(decision: CaseDecision, language: EmailLanguage): string {
  return DECISIONS[decision][language];
}

/** The end of a subject for a case event: 已立案（C-…）, 案件C-…逾期未办结, 案件C-…已结案：终止合作. */
export function casePhrase(message: EventMessage, language: EmailLanguage): string | undefined {
  const kase = message.case;
  if (kase === undefined) return undefined;
  const en = language === 'en';
  if (message.type === 'case.opened') return en ? `case ${kase.id} opened` : `已立案（${kase.id}）`;
  if (message.type === 'case.overdue') {
    const deadline = DEADLINES[kase.deadline ?? 'resolve'][language];
    return en ? `case ${kase.id} missed its ${deadline} deadline` : `案件${kase.id}逾期未${deadline}`;
  }
  if (message.type === 'case.resolved') {
    const decision = kase.decision === null ? '' : decisionName(kase.decision, language);
    return en ? `case ${kase.id} resolved: ${decision}` : `案件${kase.id}已结案：${decision}`;
  }
  return undefined;
}

/** The case's facts: id, state, the deadline in question (with provisional), decision and note. */
export function caseDetails(message: EventMessage, language: EmailLanguage): DetailLine[] {
  const kase = message.case;
  if (kase === undefined) return [];
  const en = language === 'en';
  const lines: DetailLine[] = [
    { label: en ? 'Case' : '案件编号', value: kase.id },
    { label: en ? 'State' : '案件状态', value: caseStateName(kase.state, language) },
  ];
  if (kase.dueAt !== null) {
    const provisional = kase.provisional === true ? (en ? ' (provisional: the working-day calendar has no data for that year)' : '（暂定：工作日历缺少该年度数据）') : '';
    lines.push({ label: en ? 'Due by' : '办理期限', value: `${formatShanghaiTime(kase.dueAt, language)}${provisional}` });
  }
  if (kase.decision !== null) lines.push({ label: en ? 'Decision' : '处理决定', value: decisionName(kase.decision, language) });
  if (kase.note !== undefined && kase.note !== null) lines.push({ label: en ? 'Note' : '说明', value: kase.note });
  lines.push({ label: en ? 'Events of the case' : '关联事件', value: String(kase.eventIds.length) });
  return lines;
}

/** What to do after a case event; undefined for other events. */
export function caseAction(message: EventMessage, language: EmailLanguage): string | undefined {
  const kase = message.case;
  if (kase === undefined) return undefined;
  const en = language === 'en';
  if (message.type === 'case.opened') {
    return en ? `Acknowledge the case (credit-monitor cases ack ${kase.id} --by NAME) and assign it` : `确认案件并指定处理人（credit-monitor cases ack ${kase.id} --by 姓名）`;
  }
  if (message.type === 'case.overdue' && kase.deadline === 'acknowledge') {
    return en ? `Acknowledge the case now: credit-monitor cases ack ${kase.id} --by NAME` : `请立即确认案件：credit-monitor cases ack ${kase.id} --by 姓名`;
  }
  if (message.type === 'case.overdue') {
    return en
      ? `Decide now and resolve the case: credit-monitor cases resolve ${kase.id} --by NAME --decision D --note TEXT`
      : `请立即作出处理决定并结案：credit-monitor cases resolve ${kase.id} --by 姓名 --decision 决定 --note 说明`;
  }
  if (message.type === 'case.resolved') {
    return en ? `Apply the decision in the ERP (${kase.decision ?? ''})` : `在ERP中执行处理决定（${kase.decision === null ? '' : decisionName(kase.decision, language)}）`;
  }
  return undefined;
}
