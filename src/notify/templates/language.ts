import type { Tier } from '../../domain/events.js';
import { TIER_LABELS_ZH } from '../../domain/tiers.js';

/** The languages emails are written in; zh-CN is the default (DESIGN "Email"). */
export const EMAIL_LANGUAGES = ['zh-CN', 'en'] as const;
export type EmailLanguage = (typeof EMAIL_LANGUAGES)[number];

const TIER_LABELS_EN: Readonly<Record<Tier, string>> = Object.freeze({
  critical: 'Red alert',
  high: 'Orange alert',
  medium: 'Yellow alert',
  low: 'Blue alert',
  info: 'Notice',
});

/** 红色预警 … 提示, or Red alert … Notice. */
export function tierLabel(tier: Tier, language: EmailLanguage): string {
  return language === 'en' ? TIER_LABELS_EN[tier] : TIER_LABELS_ZH[tier];
}

/** A subject's tier tag: 【红色预警】 or [Red alert]. */
export function tierTag(tier: Tier, language: EmailLanguage): string {
  return language === 'en' ? `[${TIER_LABELS_EN[tier]}] ` : `【${TIER_LABELS_ZH[tier]}】`;
}

/** Colours of the four warning levels, for the HTML part's tier bar. */
export const TIER_COLOURS: Readonly<Record<Tier, string>> = Object.freeze({
  critical: '#c62828',
  high: '#ef6c00',
  medium: '#f9a825',
  low: '#1565c0',
  info: '#616161',
});

const SOURCES: Readonly<Record<string, { 'zh-CN': string; en: string }>> = {
  tianyancha: { 'zh-CN': '天眼查', en: 'Tianyancha' },
  qichacha: { 'zh-CN': '企查查', en: 'Qichacha' },
  mock: { 'zh-CN': '模拟数据源', en: 'mock data source' },
  // A grade change decided by `figures import`, from the ERP's trading figures.
  erp: { 'zh-CN': 'ERP 交易数据', en: 'ERP trading figures' },
  // Raised from stored data: the listing clock's daily pass, and the case workflow.
  clock: { 'zh-CN': '名录期限提醒（基于已存数据）', en: 'listing clock (from stored data)' },
  cases: { 'zh-CN': '案件管理', en: 'case workflow' },
};

/** The provider's display name; an unknown provider id is shown as is. */
export function sourceName(source: string, language: EmailLanguage): string {
  return SOURCES[source]?.[language] ?? source;
}

/** The command that acknowledges an event, exactly as the CLI takes it. */
export function ackCommand(eventId: string, language: EmailLanguage): string {
  return `credit-monitor alerts ack ${eventId} --by ${language === 'en' ? '<name>' : '<姓名>'}`;
}
