/** The registration part of the diff: status, not-found and field changes. */
import { formatMoney } from './capital.js';
import type { EventDraft, EventType, FieldChange } from './events.js';
import { isNotFound } from './fetched-sections.js';
import type { Money, NotFound, Registration } from './snapshot.js';

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
  const text = (field: TextField, type: EventType): EventDraft[] =>
    before[field] === after[field]
      ? []
      : [{ type, baseline: false, change: { field, before: before[field], after: after[field] } }];
  const capital = sameMoney(before.registeredCapital, after.registeredCapital)
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

/**
 * Events for a successful registration read. `methodChanged` silences field changes only: a status
 * code and "no such company" are provider-independent facts, and a missed revocation is worse than
 * one alert caused by two providers disagreeing.
 */
export function diffRegistration(
  previous: Registration | NotFound | null,
  fetched: Registration | NotFound,
  methodChanged: boolean,
): EventDraft[] {
  if (previous === null) {
    // Baseline: report what is already wrong, nothing else.
    if (isNotFound(fetched)) return [{ type: 'registration.not_found', baseline: true }];
    return fetched.status === 'active' ? [] : [statusChanged(null, fetched, true)];
  }
  if (isNotFound(fetched)) {
    return isNotFound(previous) ? [] : [{ type: 'registration.not_found', baseline: false }];
  }
  // The company is back: always say so, so the earlier not_found alert gets its answer (low if active).
  if (isNotFound(previous)) return [statusChanged(NOT_FOUND_STATUS, fetched, false)];
  const events: EventDraft[] = [];
  if (previous.status !== fetched.status) events.push(statusChanged(previous.status, fetched, false));
  if (!methodChanged) events.push(...fieldChanges(previous, fetched));
  return events;
}
