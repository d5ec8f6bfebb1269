/** Rules for trading figures as an ERP export writes them (`figures import`). */
import { parseDate } from '../domain/dates.js';
import { normaliseText } from '../domain/text.js';
import { quote, type FieldResult } from './customer-fields.js';

const PERCENT = /^(\d+(?:\.\d+)?)\s*%?$/u;
// 1234.5, 1,234.50 (thousands separators only in their places), optionally after a yuan sign.
const AMOUNT = /^[¥]?\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$/u;
const NEGATIVE_AMOUNT = /^-\s*[¥]?\s*[\d,]+(\.\d+)?$/u;

/** A rate in percent, 0–100: "98.5", "98.5%", "98.5 %" (a full-width "％" counts). Required. */
export function parsePercent(raw: string, column: string): FieldResult<number> {
  const text = normaliseText(raw);
  if (text === '') return { ok: false, reason: `${column} is required` };
  const match = PERCENT.exec(text);
  const value = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  if (!Number.isFinite(value)) return { ok: false, reason: `${column} ${quote(text)}: expected a percentage such as 98.5 or 98.5%` };
  if (value > 100) return { ok: false, reason: `${column} ${quote(text)}: must be from 0 to 100 percent` };
  return { ok: true, value };
}

/** An amount in CNY, 0 or more, rounded to cents: "12000", "12,000.50", "¥12000"; empty is null. */
export function parseAmount(raw: string, column: string): FieldResult<number | null> {
  const text = normaliseText(raw);
  if (text === '') return { ok: true, value: null };
  if (NEGATIVE_AMOUNT.test(text)) return { ok: false, reason: `${column} ${quote(text)}: must be 0 or more` };
  const match = AMOUNT.exec(text);
  if (match?.[1] === undefined) return { ok: false, reason: `${column} ${quote(text)}: expected an amount in CNY such as 12000 or 12,000.50` };
  const value = Number(`${match[1].replaceAll(',', '')}${match[2] ?? ''}`);
  return { ok: true, value: Math.round(value * 100) / 100 };
}

/**
 * The day the figures describe, as YYYY-MM-DD. Written as a date (2026-10-31, 2026/10/31,
 * 2026年10月31日, 20261031), never as a bare epoch number; not after `today` when given.
 */
export function parseAsOf(raw: string, today?: string): FieldResult<string> {
  const text = normaliseText(raw);
  if (text === '') return { ok: false, reason: 'asOf is required' };
  const bad = { ok: false as const, reason: `asOf ${quote(text)}: expected a date YYYY-MM-DD` };
  if (/^\d+$/u.test(text) && text.length !== 8) return bad;
  const parsed = parseDate(text);
  if (!parsed.ok || parsed.date === null) return bad;
  if (today !== undefined && parsed.date > today) return { ok: false, reason: `asOf ${quote(text)}: is after today (${today})` };
  return { ok: true, value: parsed.date };
}
