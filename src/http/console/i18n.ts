/**
 * The console's languages: zh-CN by default, English on `?lang=en`. Every string is in the two
 * dictionaries; domain words (tiers, grades, case states, event phrases) come from labels.ts, which
 * reuses the e-mail templates' words so the console and the alerts say the same thing.
 */
import type { Language } from '../../domain/grades.js';
import { MESSAGES_EN } from './messages-en.js';
import { MESSAGES_ZH } from './messages-zh.js';

export type Lang = Language;
export const LANGS = ['zh-CN', 'en'] as const satisfies readonly Lang[];
export const DEFAULT_LANG: Lang = 'zh-CN';

export type Messages = typeof MESSAGES_ZH;

export function isLang(value: unknown): value is Lang {
  return (LANGS as readonly unknown[]).includes(value);
}

/** The dictionary of `lang`. */
export function messages(lang: Lang): Messages {
  return lang === 'en' ? MESSAGES_EN : MESSAGES_ZH;
}

// Readers are in China whatever the server's TZ: every time is shown in Asia/Shanghai.
const SHANGHAI = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** An ISO instant or epoch ms as "2026-11-27 16:00" in Asia/Shanghai; text that is not a time as is. */
export function formatShanghai(at: string | number): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return String(at);
  const parts = SHANGHAI.formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

/** A count as the language writes it (grouped digits). */
export function formatCount(n: number, lang: Lang): string {
  return n.toLocaleString(lang === 'en' ? 'en-US' : 'zh-CN');
}
