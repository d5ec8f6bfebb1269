/** Deterministic event ids: re-running a check after a crash yields the same ids, so nothing twice. */
import type { EventDraft } from './events.js';
import type { Hash } from './hash.js';

/** What an event was diffed against when there was no previous snapshot. */
export const NO_PREVIOUS = 'none';

/** Hex characters kept from the digest: 128 bits, short enough to type in `alerts ack`. */
const ID_LENGTH = 32;

export interface EventIdInput {
  /** The customer's normalised credit code. */
  uscc: string;
  draft: EventDraft;
  /**
   * What the event was found against (null → "none"): the snapshot diffed against, or, for
   * monitoring events, a string naming the failure streak. Name the snapshot *instance* (its row id,
   * or `${hash}@${takenAt}`), not only its content hash: states recur (active → revoked → active →
   * revoked), and a content hash alone would give the second revocation the first one's id, which
   * the store would then drop as already recorded.
   */
  against: string | null;
}

/**
 * What a once-a-year event (`annual_report.missing`) is found against: the year, not a snapshot, so
 * that its id is one per (customer, type, year) whichever check of the year raises it.
 */
export function yearBasis(year: number): string {
  return `year-${year}`;
}

/** The part of an event that tells two events of one type apart. */
function subject(draft: EventDraft): readonly (string | null)[] {
  if (draft.entry !== undefined) return ['entry', draft.entry.key];
  if (draft.annualReport !== undefined) return ['annualReport', String(draft.annualReport.year)];
  if (draft.change !== undefined) return ['change', draft.change.field, draft.change.before, draft.change.after];
  return [];
}

export function eventId(
  hash: Hash,
  input: EventIdInput | (Omit<EventIdInput, 'against'> & { againstSnapshotHash: string | null }),
): string {
  const against = 'against' in input ? input.against : input.againstSnapshotHash;
  // JSON array: no separator inside a value can make two different inputs collide.
  const parts = ['credit-monitor/event/1', input.uscc, input.draft.type, subject(input.draft), against ?? NO_PREVIOUS];
  const text = JSON.stringify(parts);
  return hash(text).slice(0, ID_LENGTH);
}
