/**
 * "Listed once in its life" over the customer's whole history: an entry dropped from the snapshot by
 * a silent re-baseline (a provider switch and back, a fallback that read nothing) must not be
 * reported as listed again when it reappears.
 */
import { LISTED_EVENT_TYPES } from './diff-entries.js';
import type { EventDraft } from './events.js';
import type { SectionName } from './sections.js';
import type { AnyListSection } from './snapshot.js';

/** A listing reported before (any `*.listed` / `*.added` event ever stored for the customer). */
export interface KnownListing {
  section: AnyListSection;
  key: string;
  listedOn: string | null;
  reason: string;
}

function sectionOf(type: EventDraft['type']): AnyListSection | undefined {
  return (Object.keys(LISTED_EVENT_TYPES) as AnyListSection[]).find((section) => LISTED_EVENT_TYPES[section] === type);
}

/** Whether any event would report a listing (so the history is worth reading). */
export function reportsListings(events: readonly EventDraft[]): boolean {
  return events.some((event) => sectionOf(event.type) !== undefined);
}

/**
 * Drops listing events already reported in the past: by key, and in a section that re-baselines
 * under a new method (whose keys may differ) also by listing date (by reason when undated).
 */
export function dropKnownListings(
  events: readonly EventDraft[],
  history: readonly KnownListing[],
  changedSections: ReadonlySet<SectionName>,
): EventDraft[] {
  if (history.length === 0) return [...events];
  return events.filter((event) => {
    const section = sectionOf(event.type);
    const entry = event.entry;
    if (section === undefined || entry === undefined) return true;
    const byDate = changedSections.has(section);
    return !history.some(
      (known) =>
        known.section === section &&
        (known.key === entry.key ||
          (byDate && (entry.listedOn !== null ? known.listedOn === entry.listedOn : known.listedOn === null && known.reason === entry.reason))),
    );
  });
}
