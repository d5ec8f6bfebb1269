/** Previous snapshot + freshly fetched sections → the next snapshot and the events between them. */
import { diffEntries } from './diff-entries.js';
import { diffRegistration } from './diff-registration.js';
import type { EventDraft } from './events.js';
import { anySectionFailed, type FetchedSections } from './fetched-sections.js';
import { compareKeys } from './normalise.js';
import { OPTIONAL_LIST_SECTIONS, type ListEntry, type ListSection, type OptionalListSection, type Snapshot } from './snapshot.js';

// The check use case imports the whole pipeline from here.
export { anySectionFailed, toFetchedSections, type FetchedSections } from './fetched-sections.js';

export interface DiffContext {
  /**
   * The previous snapshot was produced by another provider or normaliser version: a silent
   * re-baseline (no field-change events, no `removed` for vanished keys, `listed` only for listing
   * dates not known before).
   */
  methodChanged: boolean;
}

export interface DiffResult {
  /** Fully normalised (lists sorted by key), so its canonical JSON and hash are stable. */
  next: Snapshot;
  /**
   * Registration events first, then abnormal operations, serious violations, administrative
   * penalties and dishonest debtors; each by key.
   */
  events: EventDraft[];
  /**
   * Whether `next` may be stored under the current method (provider, versions). False only when the
   * method changed and a section failed: that section's carried value still has the old method's
   * keys, and stamping it with the new method would make the next check diff old keys against new
   * ones (every entry "removed" and "listed" again). Store it under the previous method instead, so
   * the silent re-baseline repeats until a check reads every section.
   */
  methodAdopted: boolean;
}

const NEVER_READ: Snapshot = { registration: null, abnormalOperations: null, seriousViolations: null };

function sortedCopy(entries: readonly ListEntry[] | null): ListEntry[] | null {
  return entries === null ? null : [...entries].sort((a, b) => compareKeys(a.key, b.key));
}

/**
 * Diffs section by section. A failed section carries its previous value forward untouched and yields
 * no events, so a failure can never read as a change; a section never read before is a baseline.
 */
export function diffSnapshots(previous: Snapshot | null, fetched: FetchedSections, context: DiffContext): DiffResult {
  const prev = previous ?? NEVER_READ;
  const events: EventDraft[] = [];

  let registration = prev.registration;
  if (fetched.registration.ok) {
    events.push(...diffRegistration(prev.registration, fetched.registration.value, context.methodChanged));
    registration = fetched.registration.value;
  }

  const list = (section: ListSection): ListEntry[] | null => {
    const result = fetched[section];
    if (!result.ok) return sortedCopy(prev[section]);
    const diff = diffEntries(prev[section], result.value, section, context.methodChanged);
    events.push(...diff.events);
    return diff.next;
  };
  const abnormalOperations = list('abnormalOperations');
  const seriousViolations = list('seriousViolations');
  const next: Snapshot = { registration, abnormalOperations, seriousViolations };

  for (const section of OPTIONAL_LIST_SECTIONS) {
    const entries = optionalList(prev[section], fetched[section], section, context, events);
    // Left out, not null, while never read: snapshots without the section hash as they always did.
    if (entries !== undefined) next[section] = entries;
  }

  const methodAdopted = !context.methodChanged || !anySectionFailed(fetched);
  return { next, events, methodAdopted };
}

/**
 * An optional section: failed, or not fetched (turned off), carries its last value forward, like a
 * failed core section; the first successful read is its baseline, even for a customer checked for
 * years without it (turning a section on must surface what is already on record). One exception: a
 * section turned off across a change of method is dropped, since its keys belong to the old method
 * and nothing would re-baseline them; turning it on again is then a fresh (marked) baseline rather
 * than old keys "removed" and new ones "listed".
 */
function optionalList(
  previous: readonly ListEntry[] | undefined,
  result: FetchedSections[OptionalListSection],
  section: OptionalListSection,
  context: DiffContext,
  events: EventDraft[],
): ListEntry[] | undefined {
  if (result === undefined && context.methodChanged) return undefined;
  if (result === undefined || !result.ok) return previous === undefined ? undefined : [...previous].sort((a, b) => compareKeys(a.key, b.key));
  const diff = diffEntries(previous ?? null, result.value, section, context.methodChanged);
  events.push(...diff.events);
  return diff.next;
}
