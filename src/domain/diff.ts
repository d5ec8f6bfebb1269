/** Previous snapshot + freshly fetched sections → the next snapshot and the events between them. */
import { diffAnnualReports } from './annual-reports.js';
import { diffEntries } from './diff-entries.js';
import type { EventDraft } from './events.js';
import type { FetchedSections } from './fetched-sections.js';
import { diffRegistration, type KeptField } from './diff-registration.js';
import { compareKeys } from './normalise.js';
import type { SectionName } from './sections.js';
import { OPTIONAL_LIST_SECTIONS, type ListEntry, type ListSection, type OptionalListSection, type Snapshot } from './snapshot.js';

// The check use case imports the whole pipeline from here.
export { anySectionFailed, toFetchedSections, type FetchedSections } from './fetched-sections.js';

export interface DiffContext {
  /**
   * The sections whose previous read was made by another provider or normaliser version: each is a
   * silent re-baseline (no field-change events, no `removed` for vanished keys, `listed` only for
   * listing dates not known before). See `changedSections` in method.ts.
   */
  changedSections: ReadonlySet<SectionName>;
}

export interface DiffResult {
  /** Fully normalised (lists sorted by key), so its canonical JSON and hash are stable. */
  next: Snapshot;
  /**
   * Registration events first, then abnormal operations, serious violations, administrative
   * penalties and dishonest debtors, each by key; then a missing annual report.
   */
  events: EventDraft[];
  /**
   * Sections read successfully but not taken: the registration section answered "no such company"
   * under a new method for a company the old one knew. A new provider's blind spot is not news about
   * the customer; it carries its old value, keeps its old method and counts as a failed section, so
   * it surfaces as `monitoring.degraded` if it lasts.
   */
  held: SectionName[];
  /** Registration fields that were absent or unreadable in this answer and kept their last value. */
  keptFields: KeptField[];
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

  const changed = (section: SectionName): boolean => context.changedSections.has(section);
  const held: SectionName[] = [];
  let keptFields: KeptField[] = [];

  let registration = prev.registration;
  if (fetched.registration.ok) {
    const diff = diffRegistration(prev.registration, fetched.registration.value, {
      methodChanged: changed('registration'),
      unreadable: fetched.unreadFields ?? [],
    });
    if (diff.held) {
      held.push('registration');
    } else {
      events.push(...diff.events);
      registration = diff.next;
      keptFields = diff.keptFields;
    }
  }

  const list = (section: ListSection): ListEntry[] | null => {
    const result = fetched[section];
    if (!result.ok) return sortedCopy(prev[section]);
    const diff = diffEntries(prev[section], result.value, section, changed(section));
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

  // Judged against the registration as it stands after this check (establishment date, status).
  const annual = diffAnnualReports(prev.annualReports, fetched.annualReports, registration);
  if (annual.next !== undefined) next.annualReports = annual.next;
  events.push(...annual.events);

  return { next, events, held, keptFields };
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
  const methodChanged = context.changedSections.has(section);
  if (result === undefined && methodChanged) return undefined;
  if (result === undefined || !result.ok) return previous === undefined ? undefined : [...previous].sort((a, b) => compareKeys(a.key, b.key));
  const diff = diffEntries(previous ?? null, result.value, section, methodChanged);
  events.push(...diff.events);
  return diff.next;
}
