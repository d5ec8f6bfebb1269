/** The registration part of the diff: status, not-found and field changes. */
import { formatMoney } from './capital.js';
import type { EventDraft, EventType, FieldChange } from './events.js';
import { isNotFound } from './fetched-sections.js';
import { TERMINAL_STATUSES, type Money, type NotFound, type Registration } from './snapshot.js';

type TextField = 'name' | 'legalRepresentative' | 'address' | 'businessScope';

/** Status code "not_found" stands for NotFound in `change.before` when a company reappears. */
const NOT_FOUND_STATUS = 'not_found';

function statusChanged(before: string | null, after: Registration, baseline: boolean): EventDraft {
  return {
    type: 'registration.status_changed',
    baseline,
    change: { field: 'status', before, after: after.status },
    statusAfter: after.status,
  };
}

function sameMoney(a: Money | null, b: Money | null): boolean {
  return a === b || (a !== null && b !== null && a.amount === b.amount && a.currency === b.currency);
}

/** Only a comparison in one currency says fell or rose; a currency switch or a missing side says neither. */
function capitalChanged(before: Money | null, after: Money | null): EventDraft {
  const change: FieldChange = {
    field: 'registeredCapital',
    before: before === null ? null : formatMoney(before),
    after: after === null ? null : formatMoney(after),
  };
  const draft: EventDraft = { type: 'registration.registered_capital_changed', baseline: false, change };
  if (before !== null && after !== null && before.currency === after.currency) {
    draft.trend = after.amount < before.amount ? 'fell' : 'rose';
  }
  return draft;
}

/** In the design's order of fields, so events come out in a stable order. */
function fieldChanges(before: Registration, after: Registration): EventDraft[] {
  // A value known for the first time (null before) is learnt, not changed.
  const text = (field: TextField, type: EventType): EventDraft[] =>
    before[field] === after[field] || before[field] === null
      ? []
      : [{ type, baseline: false, change: { field, before: before[field], after: after[field] } }];
  const capital = sameMoney(before.registeredCapital, after.registeredCapital) || before.registeredCapital === null
    ? []
    : [capitalChanged(before.registeredCapital, after.registeredCapital)];
  // establishedOn has no event: it never changes legitimately, and a correction is not a risk.
  return [
    ...text('name', 'registration.name_changed'),
    ...text('legalRepresentative', 'registration.legal_representative_changed'),
    ...capital,
    ...text('address', 'registration.address_changed'),
    ...text('businessScope', 'registration.business_scope_changed'),
  ];
}

/** A registration field that may be missing from one answer; `name` and the status never are. */
export const KEEPABLE_FIELDS = ['legalRepresentative', 'registeredCapital', 'address', 'businessScope', 'establishedOn'] as const;
export type KeepableField = (typeof KEEPABLE_FIELDS)[number];

export interface KeptField {
  field: KeepableField | 'status';
  /** `absent`: the answer had no value; `unreadable`: it had text the normaliser cannot read. */
  reason: 'absent' | 'unreadable';
}

export interface RegistrationDiff {
  /** The registration to store: the fetched one with missing fields filled from the previous read. */
  next: Registration | NotFound;
  events: EventDraft[];
  keptFields: KeptField[];
  /** The read is not taken (see `DiffResult.held`): `next` is the previous value, no events. */
  held: boolean;
}

/**
 * A value missing from one answer (absent, null, or text the normaliser cannot read) is not a change:
 * it keeps its last known value. A company does not lose its legal representative or its capital;
 * a provider answer can.
 */
function fillMissing(previous: Registration, fetched: Registration, unreadable: readonly string[]): { next: Registration; kept: KeptField[] } {
  const missing = KEEPABLE_FIELDS.filter((field) => fetched[field] === null && previous[field] !== null);
  // Safe: each key carries its own field's value from another Registration.
  const carried = Object.fromEntries(missing.map((field) => [field, previous[field]])) as Partial<Registration>;
  const next: Registration = { ...fetched, ...carried };
  const kept = missing.map((field): KeptField => ({ field, reason: unreadable.includes(field) ? 'unreadable' : 'absent' }));
  if (fetched.statusRaw === '' && previous.statusRaw !== '') {
    next.status = previous.status;
    next.statusRaw = previous.statusRaw;
    kept.push({ field: 'status', reason: 'absent' });
  }
  return { next, kept };
}

/**
 * Events for a successful registration read. Baseline: what is already wrong (not found, a
 * non-active status), nothing else. `methodChanged` (a silent re-baseline of the section): no field
 * changes, no "back" from not-found, no not-found for a company the old method knew (held instead);
 * only a move into a terminal status is still reported, since a missed revocation is worse than one
 * alert caused by two providers disagreeing.
 */
export function diffRegistration(
  previous: Registration | NotFound | null,
  fetched: Registration | NotFound,
  options: { methodChanged: boolean; unreadable: readonly string[] },
): RegistrationDiff {
  const taken = (events: EventDraft[], next = fetched, keptFields: KeptField[] = []): RegistrationDiff => ({ next, events, keptFields, held: false });
  if (previous === null) {
    if (isNotFound(fetched)) return taken([{ type: 'registration.not_found', baseline: true }]);
    return taken(fetched.status === 'active' ? [] : [statusChanged(null, fetched, true)]);
  }
  if (isNotFound(fetched)) {
    if (isNotFound(previous)) return taken([]);
    if (options.methodChanged) return { next: previous, events: [], keptFields: [], held: true };
    return taken([{ type: 'registration.not_found', baseline: false }]);
  }
  if (isNotFound(previous)) {
    if (options.methodChanged) return taken(enteredTerminal(previous, fetched) ? [statusChanged(NOT_FOUND_STATUS, fetched, false)] : []);
    // The company is back: always say so, so the earlier not_found alert gets its answer (low if active).
    return taken([statusChanged(NOT_FOUND_STATUS, fetched, false)]);
  }
  const { next, kept } = fillMissing(previous, fetched, options.unreadable);
  if (options.methodChanged) {
    return taken(enteredTerminal(previous, next) ? [statusChanged(previous.status, next, false)] : [], next, kept);
  }
  const events: EventDraft[] = [];
  if (previous.status !== next.status) events.push(statusChanged(previous.status, next, false));
  events.push(...fieldChanges(previous, next));
  return taken(events, next, kept);
}

function enteredTerminal(previous: Registration | NotFound, next: Registration): boolean {
  const wasTerminal = !isNotFound(previous) && TERMINAL_STATUSES.includes(previous.status);
  return !wasTerminal && TERMINAL_STATUSES.includes(next.status);
}
