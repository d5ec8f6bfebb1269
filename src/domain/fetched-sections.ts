/** Raw provider sections → normalised sections ready to diff, each still ok or failed as a whole. */
import type { Hash } from './hash.js';
import { normaliseEntries, normaliseRegistration, unreadableFields } from './normalise.js';
import { NormaliseError } from './normalise-error.js';
import { SECTION_NAMES, type ProviderError, type RawSections, type SectionResult } from './sections.js';
import type { ListEntry, NotFound, Registration } from './snapshot.js';
import { capTextFields } from './text.js';
import { normaliseUsccInput } from './uscc.js';

export interface FetchedSections {
  /** `{ notFound: true }` is the provider's explicit "no such company", a successful read. */
  registration: SectionResult<Registration | NotFound>;
  abnormalOperations: SectionResult<ListEntry[]>;
  seriousViolations: SectionResult<ListEntry[]>;
  /** Present only when the provider was asked for it (`provider.sections`). */
  administrativePenalties?: SectionResult<ListEntry[]>;
  dishonestDebtors?: SectionResult<ListEntry[]>;
  /** Registration fields the answer had but the normaliser could not read (e.g. capital text). */
  unreadFields?: readonly string[];
}

export const NOT_FOUND: NotFound = Object.freeze({ notFound: true });

export function isNotFound(registration: Registration | NotFound): registration is NotFound {
  return 'notFound' in registration;
}

/** Whether any section that was fetched failed; optional sections not fetched do not count. */
export function anySectionFailed(fetched: FetchedSections): boolean {
  return SECTION_NAMES.some((name) => fetched[name]?.ok === false);
}

function failed(error: ProviderError): { ok: false; error: ProviderError } {
  return { ok: false, error };
}

/**
 * Runs a normaliser; an unreadable value fails the section instead of guessing. Every text field of
 * the result is capped (see capText): entry keys are made before, from the whole text.
 */
function normalised<T>(run: () => T): SectionResult<T> {
  try {
    return { ok: true, value: capTextFields(run()) };
  } catch (error) {
    if (error instanceof NormaliseError) return failed({ kind: 'invalid_response', message: error.message });
    throw error;
  }
}

function listSection(raw: NonNullable<RawSections['administrativePenalties']>, hash: Hash): SectionResult<ListEntry[]> {
  if (raw.ok) return normalised(() => normaliseEntries(raw.value, hash));
  // "Nothing on record" is an empty list (adapters normally map it already; this keeps it safe).
  return raw.error.kind === 'no_data' ? { ok: true, value: [] } : failed(raw.error);
}

/**
 * Normalises every section. Registration `not_found` becomes `NotFound`; list `no_data` becomes [];
 * every other failure stays failed. With `uscc`, a registration that names another company's code
 * fails as `invalid_response` (a foreign body must never be diffed against this customer).
 */
export function toFetchedSections(raw: RawSections, hash: Hash, options: { uscc?: string } = {}): FetchedSections {
  return {
    registration: registrationSection(raw.registration, options.uscc),
    abnormalOperations: listSection(raw.abnormalOperations, hash),
    seriousViolations: listSection(raw.seriousViolations, hash),
    ...(raw.administrativePenalties === undefined ? {} : { administrativePenalties: listSection(raw.administrativePenalties, hash) }),
    ...(raw.dishonestDebtors === undefined ? {} : { dishonestDebtors: listSection(raw.dishonestDebtors, hash) }),
    ...(raw.registration.ok ? { unreadFields: unreadableFields(raw.registration.value) } : {}),
  };
}

function registrationSection(
  raw: RawSections['registration'],
  uscc: string | undefined,
): SectionResult<Registration | NotFound> {
  if (!raw.ok) return raw.error.kind === 'not_found' ? { ok: true, value: NOT_FOUND } : failed(raw.error);
  const code = raw.value.creditCode;
  if (uscc !== undefined && code !== null && code.trim() !== '') {
    if (normaliseUsccInput(code) !== normaliseUsccInput(uscc)) {
      return failed({ kind: 'invalid_response', message: 'registration belongs to another credit code' });
    }
  }
  return normalised(() => normaliseRegistration(raw.value));
}
