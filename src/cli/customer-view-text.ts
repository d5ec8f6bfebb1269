/** `customers show` as text: zh-CN by default, English with `"language": "en"`. */
import type { CaseView } from '../app/case-view.js';
import { formatMoney } from '../domain/capital.js';
import { listName } from '../domain/grade-text.js';
import type { Language } from '../domain/grades.js';
import type { AnyListSection, Registration } from '../domain/snapshot.js';
import { strategyFields } from '../domain/strategy-text.js';
import { statusLabel } from '../notify/templates/event-phrases.js';
import type { CustomerView, EntryView } from './customer-view.js';
import { formatEventLine } from './format-event.js';

const WORDS = {
  'zh-CN': {
    colon: '：', open: '（', close: '）', comma: '，',
    customer: '客户', tags: '标签', paused: '已暂停', lastChecked: '上次检查', nextCheck: '下次检查', never: '从未', due: '立即',
    registration: '工商登记', readAt: '读取于', notRead: '尚未成功读取', notFound: '查无此企业',
    name: '企业名称', status: '登记状态', legalRepresentative: '法定代表人', registeredCapital: '注册资本', address: '住所',
    businessScope: '经营范围', establishedOn: '成立日期', none: '（无）',
    inForce: '在列', removed: '已移出', noEntries: '无记录', count: (inForce: number, removed: number) => `在列 ${inForce} 条，已移出 ${removed} 条`,
    removedOn: '移出', grade: '信用等级', gradedAt: '评定于', now: '按当前规则和数据为', nowNote: '（下次检查或导入交易数据时记录）',
    strategy: '交易策略', openCase: '处置案件', noCase: '无',
    caseStates: { open: '待确认', acknowledged: '处理中', resolved: '已结案' }, dueBy: { acknowledge: '确认期限', resolve: '办结期限' },
    provisional: '（暂定）', overdue: '已逾期', assignee: '处理人', events: '最近事件', noEvents: '（无）',
  },
  en: {
    colon: ': ', open: ' (', close: ')', comma: ', ',
    customer: 'Customer', tags: 'tags', paused: 'paused', lastChecked: 'Last checked', nextCheck: 'next check', never: 'never', due: 'now',
    registration: 'Registration', readAt: 'read at', notRead: 'not read successfully yet', notFound: 'no such company in the registry',
    name: 'Name', status: 'Status', legalRepresentative: 'Legal representative', registeredCapital: 'Registered capital', address: 'Address',
    businessScope: 'Business scope', establishedOn: 'Established on', none: '(none)',
    inForce: 'in force', removed: 'removed', noEntries: 'no entries', count: (inForce: number, removed: number) => `${inForce} in force, ${removed} removed`,
    removedOn: 'removed', grade: 'Credit grade', gradedAt: 'graded at', now: 'the rules and data now give', nowNote: ' (recorded by the next check or figures import)',
    strategy: 'Strategy', openCase: 'Open case', noCase: 'none',
    caseStates: { open: 'open', acknowledged: 'acknowledged', resolved: 'resolved' }, dueBy: { acknowledge: 'acknowledge by', resolve: 'resolve by' },
    provisional: ' (provisional)', overdue: 'OVERDUE', assignee: 'assignee', events: 'Recent events', noEvents: '(none)',
  },
} as const;

type Words = (typeof WORDS)[Language];

function registrationLines(view: CustomerView, w: Words, language: Language): string[] {
  const registration = view.registration;
  const at = view.snapshotAt === null ? '' : `${w.open}${w.readAt} ${view.snapshotAt}${w.close}`;
  if (registration === null) return [`${w.registration}${at}${w.colon}${w.notRead}`];
  if ('notFound' in registration) return [`${w.registration}${at}${w.colon}${w.notFound}`];
  const r: Registration = registration;
  const field = (label: string, value: string | null): string => `  ${label}${w.colon}${value ?? w.none}`;
  return [
    `${w.registration}${at}${w.colon.trimEnd()}`,
    field(w.name, r.name),
    field(w.status, `${statusLabel(r.status, language)}${w.open}${r.statusRaw}${w.close}`),
    field(w.legalRepresentative, r.legalRepresentative),
    field(w.registeredCapital, r.registeredCapital === null ? null : formatMoney(r.registeredCapital)),
    field(w.address, r.address),
    field(w.establishedOn, r.establishedOn),
    field(w.businessScope, r.businessScope),
  ];
}

function entryLine(entry: EntryView, state: string, w: Words): string {
  const authority = entry.authority === null ? '' : `${w.open}${entry.authority}${w.close}`;
  const removal = entry.removedOn === null && entry.removalReason === null ? '' : `${w.comma}${w.removedOn} ${entry.removedOn ?? '?'} ${entry.removalReason ?? ''}`.trimEnd();
  return `  [${state}] ${entry.listedOn ?? '?'} ${entry.reason}${authority}${removal}`;
}

function listLines(view: CustomerView, w: Words, language: Language): string[] {
  return (Object.entries(view.lists) as Array<[AnyListSection, { inForce: EntryView[]; removed: EntryView[] }]>).flatMap(([section, list]) => {
    const head = `${listName(section, language)}${w.colon}${list.inForce.length + list.removed.length === 0 ? w.noEntries : w.count(list.inForce.length, list.removed.length)}`;
    return [head, ...list.inForce.map((e) => entryLine(e, w.inForce, w)), ...list.removed.map((e) => entryLine(e, w.removed, w))];
  });
}

function gradeLines(view: CustomerView, w: Words): string[] {
  const g = view.grade;
  const lines = [`${w.grade}${w.colon}${g.text}${g.gradedAt === null ? '' : `${w.comma}${w.gradedAt} ${g.gradedAt}`}`];
  if (g.now !== undefined) lines.push(`  ${w.now} ${g.now.text}${w.nowNote}`);
  for (const skipped of g.skipped) lines.push(`  ${skipped.text}`);
  return lines;
}

/** Every line of `customers show` for one customer; `ctx.out` makes each terminal-safe. */
export function customerViewLines(view: CustomerView, language: Language): string[] {
  const w = WORDS[language];
  const c = view.customer as { uscc: string; name: string; tags: string[]; paused: boolean; lastCheckedAt: string | null; nextCheckAt: string | null };
  const flags = [c.tags.length > 0 ? `${w.tags}${w.colon}${c.tags.join(';')}` : '', c.paused ? w.paused : ''].filter(Boolean).join(w.comma);
  return [
    `${w.customer}${w.colon}${c.uscc} ${c.name}${flags === '' ? '' : `${w.open}${flags}${w.close}`}`,
    `${w.lastChecked}${w.colon}${c.lastCheckedAt ?? w.never}${w.comma}${w.nextCheck}${w.colon}${c.nextCheckAt ?? w.due}`,
    ...registrationLines(view, w, language),
    ...listLines(view, w, language),
    ...gradeLines(view, w),
    `${w.strategy}${w.colon}${strategyFields(view.strategy, language).map((f) => `${f.label} ${f.value}`).join(w.comma)}`,
    `${w.openCase}${w.colon}${view.openCase === null ? w.noCase : openCaseText(view.openCase, w)}`,
    `${w.events}${w.open}${view.recentEvents.length}${w.close}${w.colon.trimEnd()}`,
    ...(view.recentEvents.length === 0 ? [`  ${w.noEvents}`] : view.recentEvents.map((e) => `  ${formatEventLine(e)}`)),
  ];
}

/** `C-… 待确认 high，确认期限 2026-12-07，处理人 -`: the state, the deadline that is next, who has it. */
function openCaseText(c: CaseView, w: (typeof WORDS)[Language]): string {
  const kind = c.state === 'open' ? 'acknowledge' : 'resolve';
  const next = c.deadlines[kind];
  const overdue = c.overdue.length === 0 ? '' : `${w.comma}${w.overdue}`;
  return `${c.id} ${w.caseStates[c.state]} ${c.tier}${w.comma}${w.dueBy[kind]} ${next.day}${next.provisional ? w.provisional : ''}${overdue}${w.comma}${w.assignee} ${c.assignee ?? '-'}`;
}
