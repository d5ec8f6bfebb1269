/**
 * The list part of the diff (abnormal operations, serious violations, and the optional penalties
 * and dishonest debtors): listed once, removed once.
 */
import type { EventDraft, EventEntry, EventType } from './events.js';
import { compareKeys } from './normalise.js';
import type { AnyListSection, ListEntry } from './snapshot.js';

/** One odd answer from a provider is not a removal; two successful reads in a row without it are. */
export const MISSING_READS_FOR_REMOVAL = 2;

/**
 * The event types of each list. `removed: null`: the section has no removal event. A penalty is a
 * decision that was made; one that drops out of the provider's data (its publicity period ended) was
 * still made, so it is tracked like any entry (and never added twice) but never reported removed.
 */
const EVENT_TYPES: Readonly<Record<AnyListSection, { listed: EventType; removed: EventType | null }>> = {
  abnormalOperations: { listed: 'abnormal_operations.listed', removed: 'abnormal_operations.removed' },
  seriousViolations: { listed: 'serious_violation.listed', removed: 'serious_violation.removed' },
  administrativePenalties: { listed: 'administrative_penalty.added', removed: null },
  dishonestDebtors: { listed: 'dishonest_debtor.listed', removed: 'dishonest_debtor.removed' },
};

/** The event type that reports a new entry of each list. */
export const LISTED_EVENT_TYPES: Readonly<Record<AnyListSection, EventType>> = {
  abnormalOperations: EVENT_TYPES.abnormalOperations.listed,
  seriousViolations: EVENT_TYPES.seriousViolations.listed,
  administrativePenalties: EVENT_TYPES.administrativePenalties.listed,
  dishonestDebtors: EVENT_TYPES.dishonestDebtors.listed,
};

/** The event type that reports a removal from each list; a penalty has none. */
export const REMOVED_EVENT_TYPES: Readonly<Record<AnyListSection, EventType | null>> = {
  abnormalOperations: EVENT_TYPES.abnormalOperations.removed,
  seriousViolations: EVENT_TYPES.seriousViolations.removed,
  administrativePenalties: EVENT_TYPES.administrativePenalties.removed,
  dishonestDebtors: EVENT_TYPES.dishonestDebtors.removed,
};

export interface EntriesDiff {
  next: ListEntry[];
  events: EventDraft[];
}

/**
 * Whether a `removed` event has been emitted for (or would be pointless about) this entry: it has a
 * removal date, or it vanished for two reads. Both are kept in `next` for ever (latched), which is how
 * "at most one removed per key" survives an entry that flaps in the provider's data.
 */
export function isRemoved(entry: ListEntry): boolean {
  return entry.removedOn !== null || entry.missingReads >= MISSING_READS_FOR_REMOVAL;
}

/** An entry as events carry it (the snapshot's bookkeeping left out). */
export function toEventEntry(entry: ListEntry): EventEntry {
  const { key, listedOn, reason, authority, removedOn, removalReason } = entry;
  return { key, listedOn, reason, authority, removedOn, removalReason };
}

/**
 * A fetched entry whose key was known: the provider's current text wins, but the removal state is
 * latched. A removal date the provider stops showing is kept, and an entry declared missing stays
 * missing; a single missing read (1) resets silently.
 */
function carryForward(previous: ListEntry, fetched: ListEntry): ListEntry {
  const keepRemoval = fetched.removedOn === null && previous.removedOn !== null;
  return {
    ...fetched,
    removedOn: keepRemoval ? previous.removedOn : fetched.removedOn,
    removalReason: keepRemoval ? previous.removalReason : fetched.removalReason,
    missingReads: previous.missingReads >= MISSING_READS_FOR_REMOVAL ? MISSING_READS_FOR_REMOVAL : 0,
  };
}

function byKey(a: { key: string }, b: { key: string }): number {
  return compareKeys(a.key, b.key);
}

function sortedResult(next: ListEntry[], events: EventDraft[]): EntriesDiff {
  // Each key yields at most one event per diff, so ordering events by entry key is total.
  const eventKey = (e: EventDraft): string => e.entry?.key ?? '';
  return {
    next: next.sort(byKey),
    events: events.sort((a, b) => compareKeys(eventKey(a), eventKey(b))),
  };
}

/** An ordinary diff against a previous read made by the same method. */
function diffSameMethod(previous: readonly ListEntry[], fetched: readonly ListEntry[], list: AnyListSection): EntriesDiff {
  const types = EVENT_TYPES[list];
  const before = new Map(previous.map((e) => [e.key, e]));
  const seen = new Set<string>();
  const next: ListEntry[] = [];
  const events: EventDraft[] = [];
  for (const entry of fetched) {
    seen.add(entry.key);
    const known = before.get(entry.key);
    if (known === undefined) {
      next.push({ ...entry, missingReads: 0 });
      // An entry first seen already removed is history, not news.
      if (entry.removedOn === null) events.push({ type: types.listed, baseline: false, entry: toEventEntry(entry) });
      continue;
    }
    const carried = carryForward(known, entry);
    next.push(carried);
    if (types.removed !== null && !isRemoved(known) && carried.removedOn !== null) {
      events.push({ type: types.removed, baseline: false, entry: toEventEntry(carried), evidence: 'removal_date' });
    }
  }
  for (const entry of previous) {
    if (seen.has(entry.key)) continue;
    // Capped so a long-gone entry does not change the snapshot (and its hash) on every read.
    const missingReads = Math.min(entry.missingReads + 1, MISSING_READS_FOR_REMOVAL);
    next.push({ ...entry, missingReads });
    if (types.removed !== null && !isRemoved(entry) && missingReads >= MISSING_READS_FOR_REMOVAL) {
      events.push({ type: types.removed, baseline: false, entry: toEventEntry(entry), evidence: 'missing' });
    }
  }
  return sortedResult(next, events);
}

/** Was this listing known before under any key? Matched by listing date (by reason when undated). */
function knownListing(previous: readonly ListEntry[], entry: ListEntry): boolean {
  return previous.some(
    (p) =>
      p.key === entry.key ||
      (entry.listedOn !== null ? p.listedOn === entry.listedOn : p.listedOn === null && p.reason === entry.reason),
  );
}

/**
 * A silent re-baseline after a change of provider or normaliser: keys may all have changed, so the
 * list is replaced by the fetched one (old keys that are absent are dropped, never `removed`), and
 * only a listing whose date was not known before is news. Entries whose key survived keep their
 * latched removal state.
 */
function diffNewMethod(previous: readonly ListEntry[], fetched: readonly ListEntry[], list: AnyListSection): EntriesDiff {
  const before = new Map(previous.map((e) => [e.key, e]));
  const next: ListEntry[] = [];
  const events: EventDraft[] = [];
  for (const entry of fetched) {
    const known = before.get(entry.key);
    next.push(known === undefined ? { ...entry, missingReads: 0 } : carryForward(known, entry));
    if (entry.removedOn === null && !knownListing(previous, entry)) {
      events.push({ type: EVENT_TYPES[list].listed, baseline: false, entry: toEventEntry(entry) });
    }
  }
  return sortedResult(next, events);
}

/**
 * Diffs one successfully read list section. `previous === null` (never read) is the baseline: every
 * entry in force is reported as listed, with `baseline: true`.
 */
export function diffEntries(
  previous: readonly ListEntry[] | null,
  fetched: readonly ListEntry[],
  list: AnyListSection,
  methodChanged: boolean,
): EntriesDiff {
  if (previous === null) {
    const next = fetched.map((e) => ({ ...e, missingReads: 0 }));
    const events = next
      .filter((e) => e.removedOn === null)
      .map((e): EventDraft => ({ type: EVENT_TYPES[list].listed, baseline: true, entry: toEventEntry(e) }));
    return sortedResult(next, events);
  }
  return methodChanged ? diffNewMethod(previous, fetched, list) : diffSameMethod(previous, fetched, list);
}
