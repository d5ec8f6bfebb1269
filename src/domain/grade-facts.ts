/**
 * What grading reads of the monitored facts: the registration status and, per list, every entry known
 * with its listing date and whether (and when) it was removed. Built from the latest snapshot plus the
 * customer's own history, because a snapshot can lose entries that still count ("in the last 3
 * years"): a silent re-baseline drops old keys, and GSXT hides a listing after credit repair.
 */
import { isRemoved } from './diff-entries.js';
import type { AnyListSection, ListEntry, NotFound, RegistrationStatus, Snapshot } from './snapshot.js';
import { LIST_SECTIONS, OPTIONAL_LIST_SECTIONS } from './snapshot.js';

export interface GradeEntry {
  key: string;
  /** YYYY-MM-DD; null when the provider gave no date (counted as recent: it cannot be shown old). */
  listedOn: string | null;
  /**
   * `in_force`: in the latest read and not removed; `removed`: dated removal or gone from two reads;
   * `past`: known from history only (not in the latest read, no removal recorded): it counts for
   * "listed in the last N years", never as in force or as removed.
   */
  state: 'in_force' | 'removed' | 'past';
  /**
   * For `removed`: the provider's removal date, else the day the removal was detected; null when
   * neither is known, which counts as a recent removal (no recovery without a date to count from).
   */
  removedOn: string | null;
}

export interface GradeFacts {
  /** null: the registration was never read successfully (the customer is unrated). */
  registration: { status: RegistrationStatus } | NotFound | null;
  /** Every list read successfully at least once; a list left out was never read. */
  lists: Partial<Record<AnyListSection, readonly GradeEntry[]>>;
}

/** An entry the store remembers for the customer: from its `*.listed` / `*.removed` events. */
export interface HistoricEntry {
  section: AnyListSection;
  key: string;
  listedOn: string | null;
  /** The entry's removal date, else the day its `*.removed` event was detected; null if never removed. */
  removedOn: string | null;
}

function fromSnapshot(entry: ListEntry, history: ReadonlyMap<string, HistoricEntry>): GradeEntry {
  if (!isRemoved(entry)) return { key: entry.key, listedOn: entry.listedOn, state: 'in_force', removedOn: null };
  return { key: entry.key, listedOn: entry.listedOn, state: 'removed', removedOn: entry.removedOn ?? history.get(entry.key)?.removedOn ?? null };
}

function fromHistory(entry: HistoricEntry): GradeEntry {
  const removed = entry.removedOn !== null;
  return { key: entry.key, listedOn: entry.listedOn, state: removed ? 'removed' : 'past', removedOn: entry.removedOn };
}

/**
 * The facts of one customer: `snapshot` is its latest (null: never checked), `history` the entries
 * its events recorded. A list counts as read when the snapshot holds it; history alone does not make
 * an unread list read.
 */
export function gradeFacts(snapshot: Snapshot | null, history: readonly HistoricEntry[] = []): GradeFacts {
  if (snapshot === null) return { registration: null, lists: {} };
  const registration = snapshot.registration === null ? null : 'notFound' in snapshot.registration ? snapshot.registration : { status: snapshot.registration.status };
  const lists: Partial<Record<AnyListSection, readonly GradeEntry[]>> = {};
  for (const section of [...LIST_SECTIONS, ...OPTIONAL_LIST_SECTIONS]) {
    const current = snapshot[section];
    if (current === null || current === undefined) continue;
    const past = new Map(history.filter((entry) => entry.section === section).map((entry) => [entry.key, entry]));
    const seen = new Set(current.map((entry) => entry.key));
    lists[section] = [
      ...current.map((entry) => fromSnapshot(entry, past)),
      ...[...past.values()].filter((entry) => !seen.has(entry.key)).map(fromHistory),
    ];
  }
  return { registration, lists };
}
