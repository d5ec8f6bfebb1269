/**
 * What a provider adapter hands to the core: each section exactly as the provider stated it (strings
 * not yet normalised), or the typed reason it could not be read. Adapters translate their wire format
 * into these shapes; the domain normalises them into a Snapshot.
 */

export const SECTION_NAMES = ['registration', 'abnormalOperations', 'seriousViolations'] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

export const PROVIDER_ERROR_KINDS = [
  'not_found', // explicit "no such company" (meaningful on registration only)
  'no_data', // explicit "nothing on record"; adapters turn this into [] on list sections
  'rate_limited',
  'auth',
  'quota',
  'transient', // 5xx, network error, timeout
  'invalid_response', // malformed, truncated, foreign (another company's code), schema mismatch
] as const;
export type ProviderErrorKind = (typeof PROVIDER_ERROR_KINDS)[number];

export interface ProviderError {
  kind: ProviderErrorKind;
  /** One line, safe to log: never secrets, never a whole body. */
  message: string;
  /** Provider-advised wait before the next call, for `rate_limited`. */
  retryAfterMs?: number;
}

export type SectionResult<T> = { ok: true; value: T } | { ok: false; error: ProviderError };

/**
 * A date as providers send it: a date string in any common form ("2026-11-20",
 * "2026-11-20 00:00:00", "2026-11-20T00:00:00", "2026年11月20日"), or epoch milliseconds that stand for
 * a Beijing (Asia/Shanghai) calendar day. `null`, "", "-" mean absent.
 */
export type RawDate = string | number | null;

export interface RawRegistration {
  /** Unified social credit code as the provider returned it; checked against the code asked for. */
  creditCode: string | null;
  name: string;
  statusText: string;
  legalRepresentative: string | null;
  /** Free text such as "1000万人民币", "1000.000000万元人民币", "500万美元". */
  registeredCapitalText: string | null;
  address: string | null;
  businessScope: string | null;
  establishedOn: RawDate;
}

export interface RawListEntry {
  /** The provider's stable record id, when it has one. */
  recordId: string | null;
  listedOn: RawDate;
  reason: string | null;
  authority: string | null;
  removedOn: RawDate;
  removalReason: string | null;
}

export interface RawSections {
  /** `{ ok: false, error: { kind: 'not_found' } }` is the provider's explicit "no such company". */
  registration: SectionResult<RawRegistration>;
  abnormalOperations: SectionResult<RawListEntry[]>;
  seriousViolations: SectionResult<RawListEntry[]>;
}
