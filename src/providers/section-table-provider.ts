import { AppError } from '../errors.js';
import {
  NO_OPTIONAL_SECTIONS,
  type FetchRequest,
  type OptionalSectionName,
  type OptionalSections,
  type RawAnnualReport,
  type RawListEntry,
  type RawSections,
  type SectionName,
  type SectionResult,
} from '../domain/sections.js';
import { runWithCheckBytes } from './check-byte-budget.js';
import { fetchAllPages } from './fetch-all-pages.js';
import type { HttpClient } from './http-client.js';
import type { CreditProvider } from './provider.js';
import {
  readAnnualReportsPage,
  readListPage,
  readRegistration,
  type AnnualReportsSpec,
  type Envelope,
  type ListSectionName,
  type ProviderWire,
  type SectionTable,
  type WireCall,
} from './section-table.js';

export interface SectionTableProviderOptions {
  /** Stable provider name stored with each snapshot. */
  id: string;
  /** Adapter version stored with each snapshot; a change re-baselines every customer silently. */
  version: string;
  /** The HTTP client, owned by the caller: it is open before the provider and closed after it. */
  http: HttpClient;
  wire: ProviderWire;
  table: SectionTable;
  /** Entries asked for per list page. */
  pageSize: number;
  /** Most pages read per list before the section fails as `invalid_response`. */
  maxPages: number;
  /** Optional sections to fetch (`provider.sections`), each at least one more billed call. Default: none. */
  sections?: OptionalSections | undefined;
  /** Epoch ms now, read once per request (企查查 signs with it and dates its advised waits). Default `Date.now`. */
  clock?: (() => number) | undefined;
}

/**
 * The one provider shell: every adapter is this class over its own wire format and section table.
 * A check fetches registration, the core lists, the configured optional lists and, when the check
 * asks for them, the annual reports concurrently, each list page after page (each page is billed and counts against the provider's rate limit); a failed
 * section never fails the others. The sections of one check share one byte budget (see
 * check-byte-budget.ts). Each request tells the HTTP client its section (for call counting) and how
 * to see a rate-limit answer in a body (for the gate).
 */
export class SectionTableProvider implements CreditProvider {
  readonly id: string;
  readonly version: string;
  readonly #http: HttpClient;
  readonly #wire: ProviderWire;
  readonly #table: SectionTable;
  readonly #pageSize: number;
  readonly #maxPages: number;
  readonly #sections: OptionalSections;
  readonly #clock: () => number;

  constructor(options: SectionTableProviderOptions) {
    for (const name of ['pageSize', 'maxPages'] as const) {
      const value = options[name];
      if (!Number.isInteger(value) || value < 1) {
        throw new AppError('CONFIG_INVALID', `${options.id} provider: ${name} must be a positive integer, got ${value}`);
      }
    }
    this.id = options.id;
    this.version = options.version;
    this.#http = options.http;
    this.#wire = options.wire;
    this.#table = options.table;
    this.#pageSize = options.pageSize;
    this.#maxPages = options.maxPages;
    this.#sections = options.sections ?? NO_OPTIONAL_SECTIONS;
    this.#clock = options.clock ?? Date.now;
    if (this.#sections.annualReports && options.table.annualReports === undefined) {
      // Guessing a wire format would turn every misread into an alert; see docs/providers.md.
      throw new AppError(
        'CONFIG_INVALID',
        `provider.sections.annualReports: the ${options.id} provider cannot read annual reports (no confirmed wire format, see docs/providers.md)`,
      );
    }
  }

  fetchSections(uscc: string, signal: AbortSignal, request: FetchRequest = {}): Promise<RawSections> {
    return runWithCheckBytes(() => this.#fetchAll(uscc, signal, request));
  }

  /** Nothing to release: the HTTP client is the caller's. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  async #fetchAll(uscc: string, signal: AbortSignal, request: FetchRequest): Promise<RawSections> {
    // A section that is off is left out: not fetched, not billed.
    const optional = (section: Exclude<OptionalSectionName, 'annualReports'>): Promise<SectionResult<RawListEntry[]> | undefined> =>
      this.#sections[section] ? this.#list(uscc, section, signal) : Promise.resolve(undefined);
    // Once a year, when the check says so (annualReportsDue); the constructor made sure the spec exists.
    const annualSpec = this.#sections.annualReports && request.annualReports === true ? this.#table.annualReports : undefined;
    const [registration, abnormalOperations, seriousViolations, administrativePenalties, dishonestDebtors, annualReports] = await Promise.all([
      this.#registration(uscc, signal),
      this.#list(uscc, 'abnormalOperations', signal),
      this.#list(uscc, 'seriousViolations', signal),
      optional('administrativePenalties'),
      optional('dishonestDebtors'),
      annualSpec === undefined ? Promise.resolve(undefined) : this.#annualReports(uscc, annualSpec, signal),
    ]);
    return {
      registration,
      abnormalOperations,
      seriousViolations,
      ...(administrativePenalties === undefined ? {} : { administrativePenalties }),
      ...(dishonestDebtors === undefined ? {} : { dishonestDebtors }),
      ...(annualReports === undefined ? {} : { annualReports }),
    };
  }

  async #registration(uscc: string, signal: AbortSignal): Promise<RawSections['registration']> {
    const spec = this.#table.registration;
    const what = `${this.id} registration ${uscc}`;
    const envelope = await this.#get('registration', { path: spec.path, query: spec.query(uscc), uscc }, what, signal);
    return readRegistration(spec, envelope, what);
  }

  async #list(uscc: string, section: ListSectionName, signal: AbortSignal): Promise<SectionResult<RawListEntry[]>> {
    const spec = this.#table[section];
    const what = `${this.id} ${section} ${uscc}`;
    const result = await fetchAllPages(
      async (page) => {
        const pageWhat = `${what} page ${page}`;
        const call = { path: spec.path, query: spec.query(uscc, page, this.#pageSize), uscc };
        return readListPage(spec, await this.#get(section, call, pageWhat, signal), pageWhat);
      },
      { pageSize: this.#pageSize, maxPages: this.#maxPages, keyOf: (read) => read.pagingKey, what, total: spec.total ?? 'exact' },
    );
    return result.ok ? { ok: true, value: result.value.map((read) => read.entry) } : result;
  }

  async #annualReports(uscc: string, spec: AnnualReportsSpec, signal: AbortSignal): Promise<SectionResult<RawAnnualReport[]>> {
    const what = `${this.id} annualReports ${uscc}`;
    return fetchAllPages(
      async (page) => {
        const pageWhat = `${what} page ${page}`;
        const call = { path: spec.path, query: spec.query(uscc, page, this.#pageSize), uscc };
        return readAnnualReportsPage(spec, await this.#get('annualReports', call, pageWhat, signal), pageWhat);
      },
      // No paging key: a year listed twice (a correction) is the normaliser's to merge.
      { pageSize: this.#pageSize, maxPages: this.#maxPages, keyOf: () => null, what },
    );
  }

  /** One GET, read down to its envelope. */
  async #get(section: SectionName, call: WireCall, what: string, signal: AbortSignal): Promise<Envelope> {
    const nowMs = this.#clock();
    const { url, headers } = this.#wire.request(call, nowMs);
    const result = await this.#http.getJson(url, {
      headers,
      signal,
      section,
      rateLimitIn: (answer) => this.#wire.rateLimitIn(answer, what, nowMs),
    });
    return result.ok ? this.#wire.readEnvelope(result, what, nowMs) : { kind: 'error', error: result.error };
  }
}
