/** Rules for the fields of a customer as an operator types them (CSV import, `customers add`). */
import { normaliseText } from '../domain/text.js';

/** Longest accepted customer name, in characters (code points) after normalising. */
export const MAX_NAME_LENGTH = 200;
/** Longest accepted tag, in characters. */
export const MAX_TAG_LENGTH = 64;
/** Most tags on one customer. */
export const MAX_TAGS = 32;

export type FieldResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Tags are used on the command line (`--tag`) and in queue job data: keep them plain. */
const TAG_PATTERN = /^[\p{L}\p{M}\p{N} _\-.:/&+#()@·]+$/u;
// Control characters other than white space (collapsed before this test), and U+FFFD, which is what
// bytes that were neither UTF-8 nor GBK decode to.
const UNPRINTABLE = /[\p{Cc}\uFFFD]/u;

/** Validates and normalises a customer name; the reason names what is wrong. */
export function parseCustomerName(raw: string): FieldResult<string> {
  const name = normaliseText(raw);
  if (name === '') return { ok: false, reason: 'name is required' };
  if (UNPRINTABLE.test(name)) return { ok: false, reason: `name ${quote(name)} contains an unprintable character` };
  // UTF-16 length bounds the code-point count, so most names skip counting.
  const length = name.length > MAX_NAME_LENGTH ? codePoints(name) : name.length;
  if (length > MAX_NAME_LENGTH) {
    return { ok: false, reason: `name is ${length} characters long, at most ${MAX_NAME_LENGTH} are allowed` };
  }
  return { ok: true, value: name };
}

/** Validates and normalises one tag (e.g. from `--tag`). */
export function parseTag(raw: string): FieldResult<string> {
  const tag = normaliseText(raw);
  if (tag === '') return { ok: false, reason: 'tag is empty' };
  if (codePoints(tag) > MAX_TAG_LENGTH) {
    return { ok: false, reason: `tag ${quote(tag)} is longer than ${MAX_TAG_LENGTH} characters` };
  }
  if (!TAG_PATTERN.test(tag)) {
    return {
      ok: false,
      reason: `tag ${quote(tag)} has a character that is not allowed (letters, digits, spaces and _-.:/&+#()@· only)`,
    };
  }
  return { ok: true, value: tag };
}

/**
 * Splits a CSV `tags` cell on `;` (a full-width `；` counts, NFKC maps it), validates each tag, and
 * drops empty and repeated ones. An empty cell is no tags.
 */
export function parseTagList(raw: string): FieldResult<string[]> {
  const tags: string[] = [];
  for (const part of raw.normalize('NFKC').split(';')) {
    if (part.trim() === '') continue;
    const tag = parseTag(part);
    if (!tag.ok) return tag;
    if (!tags.includes(tag.value)) tags.push(tag.value);
  }
  if (tags.length > MAX_TAGS) return { ok: false, reason: `${tags.length} tags, at most ${MAX_TAGS} are allowed` };
  return { ok: true, value: tags };
}

/** Length in code points, so that a rare CJK character outside the BMP counts once. */
function codePoints(text: string): number {
  return Array.from(text).length;
}

/** A value for a one-line message: JSON-quoted (so controls show escaped), cut at 60 characters. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}
