/** Registered capital (注册资本) text → `Money`, e.g. "1000.000000万元人民币" → 10000000 CNY. */
import type { Money } from './snapshot.js';
import { normaliseOptionalText } from './text.js';

const CURRENCIES: Readonly<Record<string, string>> = {
  人民币: 'CNY', RMB: 'CNY', CNY: 'CNY',
  美元: 'USD', 美金: 'USD', USD: 'USD',
  港元: 'HKD', 港币: 'HKD', HKD: 'HKD',
  欧元: 'EUR', EUR: 'EUR',
  日元: 'JPY', JPY: 'JPY',
  英镑: 'GBP', GBP: 'GBP',
  澳门元: 'MOP', 新台币: 'TWD', 澳元: 'AUD', 加元: 'CAD', 新加坡元: 'SGD', 瑞士法郎: 'CHF', 韩元: 'KRW',
};

/** Powers of ten for the Chinese magnitude words. */
const MULTIPLIERS: Readonly<Record<string, number>> = { 万: 4, 百万: 6, 千万: 7, 亿: 8 };

// [currency] number [magnitude] [currency]: "人民币1000万元", "500万美元", "480264.851100万".
const CAPITAL = /^(\D*?)(\d+(?:\.\d+)?)(千万|百万|万|亿)?(.*)$/u;

// A bracketed note about how the amount was paid or converted, not part of the amount.
const ANNOTATION = /\((?:实缴|认缴|实收|折合?[^)]*|[^)]*币种[^)]*)\)/gu;
// "1000万元/人民币": the slash only separates; "3.00元/万元" stays unreadable (yuan or ten-thousands?).
const SLASH_BEFORE_CURRENCY = new RegExp(`/(?=${Object.keys(CURRENCIES).join('|')})`, 'giu');

/** The currency a word names; '' and '元' alone say nothing, so they return ''. null if unknown. */
function currencyOf(word: string): string | null {
  if (word === '' || word === '元') return '';
  const direct = CURRENCIES[word];
  if (direct !== undefined) return direct;
  // "元人民币" and "人民币元" are both written; the bare 元 adds nothing.
  if (word.startsWith('元')) return CURRENCIES[word.slice(1)] ?? null;
  if (word.endsWith('元')) return CURRENCIES[word.slice(0, -1)] ?? null;
  return null;
}

/**
 * Exact decimal arithmetic: "480264.851100" × 10^4 must be 4802648511 yuan, not 4802648510.999999.
 * Rounds half up to whole cents.
 */
function toCents(number: string, powerOfTen: number): bigint {
  const [whole = '0', fraction = ''] = number.split('.');
  const digits = BigInt(whole + fraction);
  const shift = powerOfTen + 2 - fraction.length;
  if (shift >= 0) return digits * 10n ** BigInt(shift);
  const divisor = 10n ** BigInt(-shift);
  return (digits + divisor / 2n) / divisor;
}

/**
 * Parses registered capital text. Amounts without a currency are CNY (the registry's default).
 * Returns null for absent values ("-", "", null) and for text it cannot read with certainty
 * ("3.00 元/万元" — yuan or ten-thousands? — or two different currencies): a guess could later read
 * as a capital change, while null stays null on every read.
 */
export function parseRegisteredCapital(text: string | null): Money | null {
  const normalised = normaliseOptionalText(text);
  if (normalised === null) return null;
  // Annotations ("(实缴)", "(折合人民币)"), a trailing 整, a slash before the currency ("万元/人民币"),
  // thousands separators, brackets ("1000(万元)") and spaces carry no meaning here.
  const compact = normalised
    .replace(ANNOTATION, '')
    .replace(SLASH_BEFORE_CURRENCY, '')
    .replace(/[\s,()]/gu, '')
    .replace(/整$/u, '')
    .toUpperCase();
  const match = CAPITAL.exec(compact);
  if (!match) return null;
  const [, prefix = '', number = '0', magnitude, suffix = ''] = match;
  const before = currencyOf(prefix);
  const after = currencyOf(suffix);
  if (before === null || after === null) return null;
  if (before !== '' && after !== '' && before !== after) return null;
  const currency = before || after || 'CNY';
  const cents = toCents(number, magnitude === undefined ? 0 : (MULTIPLIERS[magnitude] ?? 0));
  return { amount: Number(cents) / 100, currency };
}

/** "10000000 CNY", "1234.50 USD": the form used in `change.before/after` of capital events. */
export function formatMoney(money: Money): string {
  const amount = Number.isInteger(money.amount) ? String(money.amount) : money.amount.toFixed(2);
  return `${amount} ${money.currency}`;
}
