/**
 * Raw provider sections → the normalised snapshot parts. Everything that could differ between two
 * reads of the same facts (width, spacing, date and capital spellings, entry order, duplicates) is
 * removed here, so that the diff only ever sees real changes.
 */
import { parseRegisteredCapital } from './capital.js';
import { toIsoDate } from './dates.js';
import type { Hash } from './hash.js';
import { NormaliseError } from './normalise-error.js';
import type { RawListEntry, RawRegistration } from './sections.js';
import type { ListEntry, Registration } from './snapshot.js';
import { mapRegistrationStatus } from './status.js';
import { normaliseOptionalText, normaliseText } from './text.js';

/**
 * Stored with every snapshot. Bump it whenever a change here could change a normalised value or an
 * entry key: the next check of every customer is then a silent re-baseline instead of alerts.
 * 2: epoch seconds, more capital spellings, status text without white space, 简易注销公告 not terminal,
 *    text fields capped at MAX_FIELD_CHARS (capText).
 */
export const NORMALISER_VERSION = 2;

/** @throws NormaliseError when the name is empty or the established date is not a date. */
export function normaliseRegistration(raw: RawRegistration): Registration {
  const name = normaliseText(raw.name);
  // A company always has a name; an empty one means a malformed body, not a renamed company.
  if (name === '') throw new NormaliseError('name', 'registration has no company name');
  const statusRaw = normaliseText(raw.statusText);
  return {
    name,
    status: mapRegistrationStatus(statusRaw),
    statusRaw,
    legalRepresentative: normaliseOptionalText(raw.legalRepresentative),
    registeredCapital: parseRegisteredCapital(raw.registeredCapitalText),
    address: normaliseOptionalText(raw.address),
    businessScope: normaliseOptionalText(raw.businessScope),
    establishedOn: toIsoDate(raw.establishedOn, 'establishedOn'),
  };
}

/**
 * Fields the answer has but the normaliser cannot read: they normalise to null, and the diff keeps
 * their last known value instead of reporting a change.
 */
export function unreadableFields(raw: RawRegistration): string[] {
  const capitalText = normaliseOptionalText(raw.registeredCapitalText);
  return capitalText !== null && parseRegisteredCapital(capitalText) === null ? ['registeredCapital'] : [];
}

/** Code-point order, not locale order: the same on every machine and Node version. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The key of an entry without a provider record id: a hash of the facts that identify a listing and
 * never change over its life (not the removal fields, which an entry gains later).
 */
export function entryKey(hash: Hash, listedOn: string | null, reason: string, authority: string | null): string {
  return hash(`${listedOn ?? ''}|${reason}|${authority ?? ''}`);
}

/**
 * No list this daemon reads existed before 2000 (the abnormal-operations list dates from 2014): an
 * earlier date is a unit mix-up or garbage, and would become a new entry key. It fails the section.
 */
export const EARLIEST_LIST_DATE = '2000-01-01';

function listDate(raw: RawListEntry['listedOn'], field: 'listedOn' | 'removedOn'): string | null {
  const date = toIsoDate(raw, field);
  if (date !== null && date < EARLIEST_LIST_DATE) throw new NormaliseError(field, `${date} is before ${EARLIEST_LIST_DATE}`);
  return date;
}

function normaliseEntry(raw: RawListEntry, hash: Hash): ListEntry {
  const listedOn = listDate(raw.listedOn, 'listedOn');
  const reason = normaliseOptionalText(raw.reason) ?? '';
  const authority = normaliseOptionalText(raw.authority);
  return {
    key: normaliseOptionalText(raw.recordId) ?? entryKey(hash, listedOn, reason, authority),
    listedOn,
    reason,
    authority,
    removedOn: listDate(raw.removedOn, 'removedOn'),
    removalReason: normaliseOptionalText(raw.removalReason),
    missingReads: 0,
  };
}

/** The greatest non-null value (for dates: the latest), so the merge does not depend on input order. */
function pick<T extends string | null>(values: T[]): T {
  return values.reduce((best, v) => (v !== null && (best === null || v > best) ? v : best));
}

/** Two copies of one key (paging overlap, a provider listing a record twice) become one entry. */
function mergeEntries(copies: [ListEntry, ...ListEntry[]]): ListEntry {
  const [first] = copies;
  if (copies.length === 1) return first;
  const reasons = copies.map((c) => (c.reason === '' ? null : c.reason));
  return {
    key: first.key,
    listedOn: pick(copies.map((c) => c.listedOn)),
    reason: pick(reasons) ?? '',
    authority: pick(copies.map((c) => c.authority)),
    removedOn: pick(copies.map((c) => c.removedOn)),
    removalReason: pick(copies.map((c) => c.removalReason)),
    missingReads: 0,
  };
}

/**
 * Normalises one list section: entries keyed, duplicates merged, sorted by key.
 * @throws NormaliseError when a date is present but unreadable (it would change the entry's key).
 */
export function normaliseEntries(raw: readonly RawListEntry[], hash: Hash): ListEntry[] {
  const byKey = new Map<string, [ListEntry, ...ListEntry[]]>();
  for (const entry of raw.map((r) => normaliseEntry(r, hash))) {
    const copies = byKey.get(entry.key);
    if (copies) copies.push(entry);
    else byKey.set(entry.key, [entry]);
  }
  return [...byKey.values()].map(mergeEntries).sort((a, b) => compareKeys(a.key, b.key));
}
