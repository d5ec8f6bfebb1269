/** Text normalisation shared by every field of a snapshot, so that formatting noise never reads as a change. */

// Zero-width characters are invisible in every UI yet differ byte-wise; providers leak them from HTML.
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/gu;

/**
 * Placeholders providers write where they mean "nothing": compared after normalising, so the
 * full-width "－" and the em dashes all land here. `null` is compared case-insensitively.
 */
const PLACEHOLDERS: ReadonlySet<string> = new Set(['', '-', '--', '—', '——', '无', '暂无', 'null']);

/** NFKC (full-width → half-width), every run of white space (incl. U+3000, tabs, newlines) → one space, trimmed. */
export function normaliseText(s: string): string {
  return s.normalize('NFKC').replace(ZERO_WIDTH, '').replace(/\s+/gu, ' ').trim();
}

/** True when the text, once normalised, is one of the providers' "nothing here" placeholders. */
export function isPlaceholder(normalised: string): boolean {
  return PLACEHOLDERS.has(normalised.toLowerCase());
}

/** Like `normaliseText`, but absent values and placeholders ("-", "—", "无", "null", …) become null. */
export function normaliseOptionalText(s: string | null | undefined): string | null {
  if (s === null || s === undefined) return null;
  const text = normaliseText(s);
  return isPlaceholder(text) ? null : text;
}
