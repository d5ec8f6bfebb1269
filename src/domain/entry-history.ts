/**
 * What grading remembers of a customer's list entries beyond its latest snapshot (see grade-facts.ts):
 * built from the entry events stored for it (`*.listed`, `*.added`, `*.removed`) and those found by
 * the check under way, which are not stored yet.
 */
import { LISTED_EVENT_TYPES, REMOVED_EVENT_TYPES } from './diff-entries.js';
import type { EventEntry, EventType } from './events.js';
import type { HistoricEntry } from './grade-facts.js';
import type { AnyListSection } from './snapshot.js';

/** One entry event: its type, its entry, and the Asia/Shanghai day it was detected (YYYY-MM-DD). */
export interface EntryEvent {
  type: EventType;
  entry: EventEntry;
  detectedOn: string;
}

const SECTIONS = Object.keys(LISTED_EVENT_TYPES) as AnyListSection[];

/** The list and the kind of an entry event; undefined for any other event type. */
export function entryEventKind(type: EventType): { section: AnyListSection; kind: 'listed' | 'removed' } | undefined {
  for (const section of SECTIONS) {
    if (LISTED_EVENT_TYPES[section] === type) return { section, kind: 'listed' };
    if (REMOVED_EVENT_TYPES[section] === type) return { section, kind: 'removed' };
  }
  return undefined;
}

/** Every event type that reports an entry listed, added or removed. */
export const ENTRY_EVENT_TYPES: readonly EventType[] = SECTIONS.flatMap((section) => {
  const removed = REMOVED_EVENT_TYPES[section];
  return removed === null ? [LISTED_EVENT_TYPES[section]] : [LISTED_EVENT_TYPES[section], removed];
});

/**
 * One entry per list and key. A removal dates from the provider's removal date, else from the day it
 * was detected (HistoricEntry's `removedOn`); the latest removal counts, since recovery runs from it.
 */
export function historicEntries(events: readonly EntryEvent[]): HistoricEntry[] {
  const entries = new Map<string, HistoricEntry>();
  for (const event of events) {
    const kind = entryEventKind(event.type);
    if (kind === undefined) continue;
    const id = JSON.stringify([kind.section, event.entry.key]);
    const known = entries.get(id) ?? { section: kind.section, key: event.entry.key, listedOn: event.entry.listedOn, removedOn: null };
    if (kind.kind === 'removed') {
      const removedOn = event.entry.removedOn ?? event.detectedOn;
      if (known.removedOn === null || removedOn > known.removedOn) known.removedOn = removedOn;
    }
    entries.set(id, known);
  }
  return [...entries.values()];
}
