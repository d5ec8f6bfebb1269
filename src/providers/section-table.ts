/**
 * What an adapter declares, and all it declares: how its wire format is spoken (`ProviderWire`:
 * building a request, reading the envelope every answer comes in) and, per section, where the
 * section lives and how its answer maps to the port's raw section (`SectionTable`). The shell in
 * section-table-provider.ts does the rest the same way for every adapter: concurrency, paging, the
 * check's byte budget, the gate's rate-limit hook.
 */
import type { ProviderError, RawAnnualReport, RawListEntry, RawRegistration, SectionName, SectionResult } from '../domain/sections.js';
import type { PageResult } from './fetch-all-pages.js';

/** The list sections: every section of entries (all but registration and the annual reports). */
export type ListSectionName = Exclude<SectionName, 'registration' | 'annualReports'>;

/** A parsed JSON answer as the HTTP client hands it over (header names lower-case). */
export interface JsonAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** The business payload of an answer: `result` as sent, and the list's size when the envelope carries it (企查查 `Paging`). */
export interface EnvelopeData {
  result: unknown;
  total?: number | undefined;
}

/**
 * An answer read down to its business meaning: data, the provider's explicit "no data", or a typed
 * error (a code from the adapter's code table, or an answer that is not an envelope at all).
 */
export type Envelope = ({ kind: 'data' } & EnvelopeData) | { kind: 'no_data' } | { kind: 'error'; error: ProviderError };

/** One request as a section asks for it: the section's documented path and its query. */
export interface WireCall {
  path: string;
  query: Readonly<Record<string, string>>;
  /** The credit code asked about, for wire formats that put it in the path (the mock). */
  uscc: string;
}

/** How one provider's requests are built and its answers read; `nowMs` is the request's time. */
export interface ProviderWire {
  /** URL (base URL + path + query) and headers (auth; may carry secrets, never logged) of one call. */
  request(call: WireCall, nowMs: number): { url: URL; headers: Readonly<Record<string, string>> };
  /** Reads the envelope of a parsed body. Only a provider's own success code carries data or "no data". */
  readEnvelope(answer: JsonAnswer, what: string, nowMs: number): Envelope;
  /**
   * The account-wide rate-limit answer in a parsed body (sent in an HTTP 200), for the request gate
   * (`GetJsonOptions.rateLimitIn`); undefined for any other answer.
   */
  rateLimitIn(answer: JsonAnswer, what: string, nowMs: number): ProviderError | undefined;
}

export interface RegistrationSpec {
  /** The documented path, appended to the base URL. */
  path: string;
  query(uscc: string): Record<string, string>;
  /**
   * What the explicit "no data" answer means here: `not_found` where the provider documents it as
   * "no such company" (天眼查 300000, 企查查 201), `no_data` where it does not (the mock's 204).
   */
  noData: 'not_found' | 'no_data';
  /** The port's raw registration from the answer's data, as sent (the domain checks the credit code). */
  read(data: EnvelopeData, what: string): SectionResult<RawRegistration>;
}

/** One list entry of a page: the port's entry, and the wire id that catches an entry served twice while paging. */
export interface PagedEntry {
  entry: RawListEntry;
  pagingKey: string | null;
}

export interface ListSpec {
  /** The documented path, appended to the base URL. */
  path: string;
  query(uscc: string, page: number, pageSize: number): Record<string, string>;
  /** `unreliable` for an endpoint whose `total` is known to be wrong (see `FetchAllPagesOptions.total`). Default `exact`. */
  total?: 'exact' | 'unreliable';
  /** One page from the answer's data; "no data" never reaches it (the shell reports it to the domain). */
  readPage(data: EnvelopeData, what: string): PageResult<PagedEntry>;
}

/** The annual-report list (年度报告): the reports published, paged like a list. */
export interface AnnualReportsSpec {
  /** The documented path, appended to the base URL. */
  path: string;
  query(uscc: string, page: number, pageSize: number): Record<string, string>;
  /** One page from the answer's data; "no data" never reaches it. */
  readPage(data: EnvelopeData, what: string): PageResult<RawAnnualReport>;
}

/**
 * Every section of one provider: the adapter's declaration of where each lives and how it reads.
 * `annualReports` is left out by an adapter whose endpoint could not be confirmed: the section is
 * then unavailable, and turning it on with that provider is refused at start (CONFIG_INVALID).
 */
export type SectionTable = { registration: RegistrationSpec; annualReports?: AnnualReportsSpec } & Readonly<Record<ListSectionName, ListSpec>>;

/** The registration section from an envelope: an error as it came, "no data" as the spec says, else the spec's reading. */
export function readRegistration(spec: RegistrationSpec, envelope: Envelope, what: string): SectionResult<RawRegistration> {
  switch (envelope.kind) {
    case 'error':
      return { ok: false, error: envelope.error };
    case 'no_data':
      return { ok: false, error: spec.noData === 'not_found' ? { kind: 'not_found', message: `${what}: no such company` } : noData(what) };
    case 'data':
      return spec.read(envelope, what);
  }
}

/**
 * One page of a list from an envelope. "No data" is reported as such, not as an empty page: what it
 * means for the section (an empty list) is the domain's rule, and on a later page it is fetchAllPages'.
 */
export function readListPage(spec: ListSpec, envelope: Envelope, what: string): PageResult<PagedEntry> {
  switch (envelope.kind) {
    case 'error':
      return { ok: false, error: envelope.error };
    case 'no_data':
      return { ok: false, error: noData(what) };
    case 'data':
      return spec.readPage(envelope, what);
  }
}

/** One page of the annual reports from an envelope; as `readListPage`. */
export function readAnnualReportsPage(spec: AnnualReportsSpec, envelope: Envelope, what: string): PageResult<RawAnnualReport> {
  switch (envelope.kind) {
    case 'error':
      return { ok: false, error: envelope.error };
    case 'no_data':
      return { ok: false, error: noData(what) };
    case 'data':
      return spec.readPage(envelope, what);
  }
}

function noData(what: string): ProviderError {
  return { kind: 'no_data', message: `${what}: no data` };
}
