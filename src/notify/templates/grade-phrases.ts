/** A grade change in words, zh-CN or English: its subject phrase, its details and what to do now. */
import { gradeLabel, isGrade } from '../../domain/grades.js';
import { strategyLine } from '../../domain/strategy-text.js';
import type { EventMessage } from '../channel.js';
import type { DetailLine } from './event-details.js';
import type { EmailLanguage } from './language.js';

/** Better first; `unrated` has no rank. */
const RANK: Readonly<Record<string, number>> = { excellent: 3, good: 2, fair: 1, risk: 0 };

/** A grade code as a reader knows it (风险, risk); an unknown code as is. */
export function gradeName(code: string | null, language: EmailLanguage): string {
  if (code === null) return language === 'en' ? '(none)' : '（无）';
  return isGrade(code) ? gradeLabel(code, language) : code;
}

/** 信用等级下调为风险 / credit grade lowered to risk; 首次评级为风险 / first credit grade: risk. */
export function gradePhrase(message: EventMessage, language: EmailLanguage): string {
  const before = message.change?.before ?? null;
  const after = message.change?.after ?? null;
  const name = gradeName(after, language);
  if (before === 'unrated' || before === null) return language === 'en' ? `first credit grade: ${name}` : `首次评级为${name}`;
  const fell = (RANK[after ?? ''] ?? 0) < (RANK[before] ?? 0);
  if (language === 'en') return `credit grade ${fell ? 'lowered' : 'raised'} to ${name}`;
  return `信用等级${fell ? '下调' : '上调'}为${name}`;
}

/** The rule that decided the grade and the strategy it dictates, as labelled lines. */
export function gradeDetails(message: EventMessage, language: EmailLanguage): DetailLine[] {
  const lines: DetailLine[] = [];
  if (message.grade) lines.push({ label: language === 'en' ? 'Deciding rule' : '判定规则', value: message.grade.rule });
  if (message.strategy) lines.push({ label: language === 'en' ? 'Trading strategy' : '交易策略', value: strategyLine(message.strategy, language) });
  return lines;
}

/** For a grade change, the action is its strategy: 按新等级执行交易策略：无账期，预付款，…; undefined otherwise. */
export function gradeAction(message: EventMessage, language: EmailLanguage): string | undefined {
  if (message.type !== 'grade.changed' || message.strategy === undefined) return undefined;
  const line = strategyLine(message.strategy, language);
  return language === 'en' ? `Apply the strategy of the new grade at once: ${line}` : `立即按新的信用等级执行交易策略：${line}`;
}
