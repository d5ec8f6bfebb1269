/**
 * Provider dates → "YYYY-MM-DD" on the Asia/Shanghai calendar. Providers send epoch milliseconds or
 * seconds (as numbers or numeric strings) standing for a Beijing calendar day, or date text in many
 * spellings.
 */
import { NormaliseError } from './normalise-error.js';
import type { RawDate } from './sections.js';
import { isPlaceholder, normaliseText } from './text.js';

/**
 * `ok: true, date: null` means the provider said "no date" (null, "", "-", …); `ok: false` means it
 * sent something that is not a date, which the normaliser must not silently treat as absent.
 */
export type DateResult = { ok: true; date: string | null } | { ok: false; reason: string };

// Intl, not a fixed +8 h: China kept daylight saving time in 1986–1991, and old companies were
// established then.
const SHANGHAI_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar day (YYYY-MM-DD) of an instant (epoch ms) in Asia/Shanghai. */
export function shanghaiDay(epochMs: number): string {
  return SHANGHAI_DAY.format(epochMs);
}

// Outside this range a value is a unit mix-up (seconds for ms, a stray number), not a registry date.
const MIN_YEAR = 1900;
const MAX_YEAR = 2199;

const EPOCH_TEXT = /^-?\d{9,}$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;
// 2026-11-20, 2026/11/20, 2026.11.20, 2026年11月20日, optionally followed by a wall-clock time
// (" 00:00:00", "T00:00:00", ".0" fractions) and an optional UTC offset.
const DATE_TEXT =
  /^(\d{4})(?:[-/.]|年)(\d{1,2})(?:[-/.]|月)(\d{1,2})日?(?:[ Tt](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;
// MySQL's "zero date", which some providers emit for "unknown".
const ZERO_DATE = /^0000-00-00(?:[ T]00:00(?::00(?:\.0+)?)?)?$/;

function invalid(reason: string): DateResult {
  return { ok: false, reason };
}

function inRange(year: number): boolean {
  return year >= MIN_YEAR && year <= MAX_YEAR;
}

// Epoch values in this range are seconds: as milliseconds they would fall in January–March 1970,
// which no registry date does, while 1990–2199 in seconds is exactly where they belong.
const EPOCH_SECONDS_MIN = 631_152_000; // 1990-01-01T00:00:00Z
const EPOCH_SECONDS_MAX = 7_258_118_400; // 2200-01-01T00:00:00Z

/** Epoch seconds or milliseconds, told apart by magnitude (providers send both). */
function fromEpoch(value: number): DateResult {
  const seconds = value >= EPOCH_SECONDS_MIN && value < EPOCH_SECONDS_MAX;
  return fromEpochMs(seconds ? value * 1000 : value);
}

function fromEpochMs(ms: number): DateResult {
  if (!Number.isSafeInteger(ms)) return invalid(`${ms} is not a whole number of milliseconds`);
  const parts = SHANGHAI_DAY.formatToParts(new Date(ms));
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  const year = Number(part('year'));
  if (!inRange(year)) return invalid(`epoch ms ${ms} falls in year ${year}`);
  return { ok: true, date: `${part('year')}-${part('month')}-${part('day')}` };
}

function fromCalendar(year: number, month: number, day: number): DateResult {
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    return invalid(`${year}-${month}-${day} is not a calendar date`);
  }
  if (!inRange(year)) return invalid(`year ${year} is out of range`);
  return { ok: true, date: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` };
}

function offsetMinutes(offset: string): number {
  if (offset === 'Z' || offset === 'z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
}

function fromText(text: string): DateResult {
  if (EPOCH_TEXT.test(text)) return fromEpoch(Number(text));
  const compact = COMPACT_DATE.exec(text);
  if (compact) return fromCalendar(Number(compact[1]), Number(compact[2]), Number(compact[3]));
  const m = DATE_TEXT.exec(text);
  if (!m) return invalid(`"${text}" is not a recognised date`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const offset = m[7];
  // Without an offset the time is Beijing wall-clock time, so the date part is already the answer.
  if (offset === undefined) return fromCalendar(year, month, day);
  const calendar = fromCalendar(year, month, day);
  if (!calendar.ok) return calendar;
  const utcMs = Date.UTC(year, month - 1, day, Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  return fromEpochMs(utcMs - offsetMinutes(offset) * 60_000);
}

/** Parses a provider date without throwing; see `DateResult`. Full-width digits are read via NFKC. */
export function parseDate(raw: RawDate): DateResult {
  if (raw === null) return { ok: true, date: null };
  if (typeof raw === 'number') return fromEpoch(raw);
  const text = normaliseText(raw);
  if (isPlaceholder(text) || ZERO_DATE.test(text)) return { ok: true, date: null };
  return fromText(text);
}

/**
 * "YYYY-MM-DD" (Asia/Shanghai) or null when the provider gave no date.
 * @throws NormaliseError when the value is present but not a date; `field` names it in the message.
 */
export function toIsoDate(raw: RawDate, field = 'date'): string | null {
  const result = parseDate(raw);
  if (!result.ok) throw new NormaliseError(field, result.reason);
  return result.date;
}
