/** Raw provider sections → normalised sections ready to diff, each still ok or failed as a whole. */
import { normaliseAnnualReports } from './annual-reports.js';
import type { Hash } from './hash.js';
import { normaliseEntries, normaliseRegistration, unreadableFields } from './normalise.js';
import { NormaliseError } from './normalise-error.js';
import { SECTION_NAMES, type ProviderError, type RawRegistration, type RawSections, type SectionResult } from './sections.js';
import type { AnnualReports, ListEntry, NotFound, Registration } from './snapshot.js';
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
  /** Present only when asked for this check (`FetchRequest.annualReports`). */
  annualReports?: SectionResult<AnnualReports>;
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

/** A list section; a provider's explicit "nothing on record" (`no_data`) is an empty list. */
function listSection(raw: NonNullable<RawSections['administrativePenalties']>, hash: Hash): SectionResult<ListEntry[]> {
  if (raw.ok) return normalised(() => normaliseEntries(raw.value, hash));
  return raw.error.kind === 'no_data' ? { ok: true, value: [] } : failed(raw.error);
}

/** The annual reports read on `readOn`; "no data" is none published. */
function annualReportsSection(raw: NonNullable<RawSections['annualReports']>, readOn: string | undefined): SectionResult<AnnualReports> {
  // The read's date decides next year's read; a caller that asked for the section must say it.
  if (readOn === undefined) throw new Error('toFetchedSections: annual reports need options.readOn');
  if (raw.ok) return normalised(() => normaliseAnnualReports(raw.value, readOn));
  return raw.error.kind === 'no_data' ? { ok: true, value: { readOn, reports: [] } } : failed(raw.error);
}

export interface ToFetchedOptions {
  /** The customer's credit code: the registration must be this company's. */
  uscc?: string;
  /** YYYY-MM-DD (Asia/Shanghai) of the read; required when the answer holds annual reports. */
  readOn?: string;
}

/**
 * Normalises every section. Registration `not_found` becomes `NotFound`; list `no_data` becomes [];
 * every other failure stays failed. With `uscc`, the registration must be the company asked for
 * (see `registrationIdentityError`). Adapters report what they read, and these rules are applied
 * here only.
 */
export function toFetchedSections(raw: RawSections, hash: Hash, options: ToFetchedOptions = {}): FetchedSections {
  const registration = acceptedRegistration(raw.registration, options.uscc);
  return {
    registration: registration.ok ? normalised(() => normaliseRegistration(registration.value)) : notFoundOrFailed(registration.error),
    abnormalOperations: listSection(raw.abnormalOperations, hash),
    seriousViolations: listSection(raw.seriousViolations, hash),
    ...(raw.administrativePenalties === undefined ? {} : { administrativePenalties: listSection(raw.administrativePenalties, hash) }),
    ...(raw.dishonestDebtors === undefined ? {} : { dishonestDebtors: listSection(raw.dishonestDebtors, hash) }),
    ...(raw.annualReports === undefined ? {} : { annualReports: annualReportsSection(raw.annualReports, options.readOn) }),
    ...(registration.ok ? { unreadFields: unreadableFields(registration.value) } : {}),
  };
}

/**
 * Why a registration answer cannot be this customer's, or undefined when it is: it names another
 * company's credit code (a foreign body: a proxy or cache mixed up two answers), or none at all, so
 * it cannot be told from another company's. Either way it must never be diffed against this customer.
 */
export function registrationIdentityError(raw: RawRegistration, uscc: string): ProviderError | undefined {
  const code = raw.creditCode?.trim() ?? '';
  if (code === '') return { kind: 'invalid_response', message: `registration ${uscc}: the answer carries no credit code, cannot confirm the company` };
  if (normaliseUsccInput(code) === normaliseUsccInput(uscc)) return undefined;
  return { kind: 'invalid_response', message: `registration ${uscc}: foreign body, answer is for ${code}` };
}

function acceptedRegistration(raw: RawSections['registration'], uscc: string | undefined): RawSections['registration'] {
  if (!raw.ok || uscc === undefined) return raw;
  const error = registrationIdentityError(raw.value, uscc);
  return error === undefined ? raw : failed(error);
}

function notFoundOrFailed(error: ProviderError): SectionResult<NotFound> {
  return error.kind === 'not_found' ? { ok: true, value: NOT_FOUND } : failed(error);
}
