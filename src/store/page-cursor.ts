/**
 * The keyset cursors of the paged lists (both dialects): base64url JSON of the last row's sort key,
 * led by the list's letter, so that one list's cursor is refused by another's.
 */
import { AppError } from '../errors.js';

/** The largest page a caller may ask for. */
export const MAX_PAGE_LIMIT = 500;

/** Where the next customers page starts: after this id. */
export type CustomerCursor = number;
/** Where the next events page starts (newest first): after this event. */
export interface EventCursor {
  detectedAt: number;
  id: string;
}

export function encodeCustomerCursor(id: CustomerCursor): string {
  return encode(['c', id]);
}

export function encodeEventCursor(after: EventCursor): string {
  return encode(['e', after.detectedAt, after.id]);
}

/** @throws AppError `USAGE` when `cursor` is not a customers cursor this store wrote. */
export function decodeCustomerCursor(cursor: string): CustomerCursor {
  const key = decode(cursor);
  const [kind, id] = key;
  if (key.length !== 2 || kind !== 'c' || !isEpochOrId(id)) throw malformed();
  return id;
}

/** @throws AppError `USAGE` when `cursor` is not an events cursor this store wrote. */
export function decodeEventCursor(cursor: string): EventCursor {
  const key = decode(cursor);
  const [kind, detectedAt, id] = key;
  if (key.length !== 3 || kind !== 'e' || !isEpochOrId(detectedAt) || typeof id !== 'string' || id === '' || id.length > 200) throw malformed();
  return { detectedAt, id };
}

/**
 * The page size, checked: a whole number from 1 to {@link MAX_PAGE_LIMIT}.
 * @throws AppError `USAGE` otherwise.
 */
export function checkedPageLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw new AppError('USAGE', `page limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}, got ${limit}`);
  }
  return limit;
}

/**
 * The page of `limit` rows out of up to `limit + 1` read, and the next cursor: the extra row only
 * says there is more, so the last page is known without reading an empty one.
 */
export function pageOf<T>(rows: T[], limit: number, cursorOf: (last: T) => string): { items: T[]; next: string | null } {
  if (rows.length <= limit) return { items: rows, next: null };
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next: last === undefined ? null : cursorOf(last) };
}

function encode(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function decode(cursor: string): unknown[] {
  // Node's base64url decoder skips characters it does not know; the round trip refuses them.
  if (cursor.length > 400 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw malformed();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (Buffer.from(text, 'utf8').toString('base64url') !== cursor) throw malformed();
  let key: unknown;
  try {
    key = JSON.parse(text);
  } catch {
    throw malformed();
  }
  if (!Array.isArray(key)) throw malformed();
  return key as unknown[];
}

function isEpochOrId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function malformed(): AppError {
  return new AppError('USAGE', 'malformed page cursor: pass the `next` of the page before, unchanged');
}
