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

/**
 * Longest text field a snapshot keeps, in characters (code points), marker included. Far above any
 * real field (a long 经营范围 runs to a few thousand characters); a reason of megabytes from a broken
 * or hostile provider is cut to this instead of being stored, hashed, mailed and posted whole.
 */
export const MAX_FIELD_CHARS = 8_000;

/**
 * Cuts a normalised text longer than `maxChars` code points and marks the cut with the full length:
 * `<head> [... truncated, 3145728 characters in all]`, at most `maxChars` long. Stable: a function of
 * the normalised text alone, so the same long text always gives the same value (never a change), and
 * idempotent (a capped value is left as it is). The marker is ASCII, unchanged by `normaliseText`.
 */
export function capText(text: string, maxChars = MAX_FIELD_CHARS): string {
  // UTF-16 length bounds the code-point count: short texts (all real ones) return at once.
  if (text.length <= maxChars) return text;
  const total = codePointCount(text);
  if (total <= maxChars) return text;
  const marker = ` [... truncated, ${String(total)} characters in all]`;
  const head: string[] = [];
  for (const ch of text) {
    if (head.length >= maxChars - marker.length) break;
    head.push(ch);
  }
  // join() builds a new string: a slice would keep the megabyte original alive in memory.
  return `${head.join('').trimEnd()}${marker}`;
}

/**
 * Applies {@link capText} to every string in a normalised section value (a registration, a list of
 * entries), copying only the objects on the way to a string that was cut; values with nothing to cut
 * come back as they are (the same object).
 */
export function capTextFields<T>(value: T, maxChars = MAX_FIELD_CHARS): T {
  return capValue(value, maxChars) as T;
}

function capValue(value: unknown, maxChars: number): unknown {
  if (typeof value === 'string') return capText(value, maxChars);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item: unknown, index) => {
      const capped = capValue(item, maxChars);
      if (capped !== item) (copy ??= [...(value as unknown[])])[index] = capped;
    });
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const capped = capValue(item, maxChars);
    if (capped !== item) (copy ??= { ...value })[key] = capped;
  }
  return copy ?? value;
}

/** Code points, counted without building an array of them (the text may be megabytes long). */
function codePointCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one character.
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}
