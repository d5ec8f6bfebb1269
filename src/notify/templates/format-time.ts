import type { EmailLanguage } from './language.js';

// Readers are in China whatever the server's TZ: times are shown in Asia/Shanghai, and say so.
const SHANGHAI = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "2026-11-27T08:00:00.000Z" → "2026-11-27 16:00 (北京时间)" or "2026-11-27 16:00 (Beijing time, UTC+8)". */
export function formatShanghaiTime(iso: string, language: EmailLanguage): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const part = (type: Intl.DateTimeFormatPartTypes): string => SHANGHAI.formatToParts(at).find((p) => p.type === type)?.value ?? '';
  const text = `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
  return `${text} ${language === 'en' ? '(Beijing time, UTC+8)' : '(北京时间)'}`;
}
