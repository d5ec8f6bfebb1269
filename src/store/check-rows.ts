/**
 * Pure mappings between a check's outcome and its stored rows, shared by the SQLite and the
 * PostgreSQL check stores so that both write and read the same shapes.
 */
import type { DeliveryDraft, RecordCheckInput, StoredEvent, StoredSnapshot } from '../app/ports.js';
import { shanghaiDay } from '../domain/dates.js';
import { LISTED_EVENT_TYPES } from '../domain/diff-entries.js';
import type { EntryEvent } from '../domain/entry-history.js';
import type { EventType } from '../domain/events.js';
import type { KnownListing } from '../domain/listing-history.js';
import { sectionMethodsKey, type SectionMethods } from '../domain/method.js';
import type { AnyListSection, Snapshot } from '../domain/snapshot.js';
import type { TradingFigures } from '../domain/trading-figures.js';
import type { EventPayload } from './schema.js';

/** The `*.listed` event types, each with the list section it belongs to. */
export const LISTED_SECTIONS: ReadonlyMap<EventType, AnyListSection> = new Map(
  (Object.entries(LISTED_EVENT_TYPES) as Array<[AnyListSection, EventType]>).map(([section, type]) => [type, section]),
);

/** The columns of a snapshot that say whether a new read is the same snapshot again. */
export interface SnapshotKey {
  id: number;
  hash: string;
  provider: string;
  providerVersion: string;
  normaliserVersion: number;
  sectionMethods: SectionMethods | null;
}

/** A snapshot row as both dialects' drizzle schemas read it. */
export type SnapshotRow = Omit<SnapshotKey, 'sectionMethods'> & {
  customerId: number;
  takenAt: number;
  sectionMethods: SectionMethods | null;
  body: Snapshot;
};

/** Whether `next` is the stored snapshot again: same hash, same method, same section stamps. */
export function sameSnapshot(stored: SnapshotKey, next: NonNullable<RecordCheckInput['snapshot']>): boolean {
  return (
    stored.hash === next.hash &&
    stored.provider === next.method.provider &&
    stored.providerVersion === next.method.providerVersion &&
    stored.normaliserVersion === next.method.normaliserVersion &&
    sectionMethodsKey(stored.sectionMethods ?? {}) === sectionMethodsKey(next.sectionMethods)
  );
}

export function toStoredSnapshot(row: SnapshotRow): StoredSnapshot {
  return {
    id: row.id,
    customerId: row.customerId,
    takenAt: row.takenAt,
    hash: row.hash,
    method: { provider: row.provider, providerVersion: row.providerVersion, normaliserVersion: row.normaliserVersion },
    sectionMethods: row.sectionMethods ?? {},
    body: row.body,
  };
}

/** No stamps are stored as null, so that "every section current" has one stored form. */
export function storedSectionMethods(stamps: SectionMethods): SectionMethods | null {
  return Object.keys(stamps).length === 0 ? null : stamps;
}

/** The listing a `*.listed` event reported, or none for any other event. */
export function toKnownListing(row: { type: EventType; payload: EventPayload }): KnownListing[] {
  const section = LISTED_SECTIONS.get(row.type);
  const entry = row.payload.entry;
  return section === undefined || entry === undefined ? [] : [{ section, key: entry.key, listedOn: entry.listedOn, reason: entry.reason }];
}

/** The entry event a `*.listed` / `*.added` / `*.removed` row reported (none without an entry). */
export function toEntryEvent(row: { type: EventType; payload: EventPayload; detectedAt: number }): EntryEvent[] {
  const entry = row.payload.entry;
  return entry === undefined ? [] : [{ type: row.type, entry, detectedOn: shanghaiDay(row.detectedAt) }];
}

/** Whether two sets of figures say the same: a grade decided from one holds for the other. */
export function sameFigures(a: TradingFigures | null, b: TradingFigures | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.asOf === b.asOf &&
    a.onTimePaymentRate === b.onTimePaymentRate &&
    a.fulfilmentRate === b.fulfilmentRate &&
    a.overdueAmount === b.overdueAmount &&
    a.creditLimit === b.creditLimit
  );
}

/** Keeps only the type-specific parts that are present, so the stored JSON has no undefined keys. */
export function eventPayload(event: StoredEvent, customer: EventPayload['customer']): EventPayload {
  const payload: EventPayload = {};
  if (customer !== undefined) payload.customer = customer;
  if (event.change !== undefined) payload.change = event.change;
  if (event.entry !== undefined) {
    // Field by field: a ListEntry passed as an EventEntry would otherwise leak its read counter.
    const { key, listedOn, reason, authority, removedOn, removalReason } = event.entry;
    payload.entry = { key, listedOn, reason, authority, removedOn, removalReason };
  }
  if (event.evidence !== undefined) payload.evidence = event.evidence;
  if (event.statusAfter !== undefined) payload.statusAfter = event.statusAfter;
  if (event.trend !== undefined) payload.trend = event.trend;
  if (event.grade !== undefined) payload.grade = { grade: event.grade.grade, rule: event.grade.rule };
  if (event.strategy !== undefined) {
    const { paymentTermDays, settlement, depositPercent, newOrders } = event.strategy;
    payload.strategy = { paymentTermDays, settlement, depositPercent, newOrders };
  }
  if (event.case !== undefined) {
    const { id, state, decision, dueAt, eventIds, deadline, provisional, note } = event.case;
    payload.case = { id, state, decision, dueAt, eventIds: [...eventIds] };
    if (deadline !== undefined) payload.case.deadline = deadline;
    if (provisional !== undefined) payload.case.provisional = provisional;
    if (note !== undefined) payload.case.note = note;
  }
  if (event.escalatesOn !== undefined) payload.escalatesOn = event.escalatesOn;
  if (event.annualReport !== undefined) payload.annualReport = { year: event.annualReport.year };
  return payload;
}

/**
 * Leaves out the outbox rows of this write's events that were stored already (the listing clock
 * yields the same event at every check): they have their rows, and a target added since must not
 * get old news. Rows naming any other id are kept, for the foreign key to refuse.
 */
export function onlyNew(drafts: readonly DeliveryDraft[], events: readonly { id: string }[], newEventIds: readonly string[]): DeliveryDraft[] {
  const fresh = new Set(newEventIds);
  const known = new Set(events.map((event) => event.id).filter((id) => !fresh.has(id)));
  return drafts.filter((draft) => !known.has(draft.eventId));
}
