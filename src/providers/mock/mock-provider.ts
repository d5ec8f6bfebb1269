import {
  NO_OPTIONAL_SECTIONS,
  type OptionalSections,
  type ProviderError,
  type RawListEntry,
  type RawRegistration,
  type RawSections,
  type SectionName,
  type SectionResult,
} from '../../domain/sections.js';
import { normaliseUsccInput } from '../../domain/uscc.js';
import { fetchAllPages, type PageResult } from '../fetch-all-pages.js';
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../http-client.js';
import { parseRetryAfter } from '../../http/retry-after.js';
import type { CreditProvider } from '../provider.js';
import { describeZodError } from './state.js';
import { envelopeSchema, listPageSchema, registrationDataSchema, type ListEntryData } from './wire-schema.js';
import { MOCK_CODES, MOCK_MAX_PAGE_SIZE, SECTION_PATHS, type MockListName } from './wire-paths.js';
import { fetchSectionsConcurrently } from '../fetch-sections.js';

export interface MockProviderOptions {
  /** Origin of the mock API, with an optional path prefix, e.g. "http://127.0.0.1:8787" (`CM_PROVIDER_URL`). */
  baseUrl: string;
  /** Sent as `authorization: Bearer <token>` when set; the mock requires it only if started with one. */
  token?: string;
  /** The HTTP client to use; the caller then owns it and `close()` leaves it open. */
  http?: HttpClient;
  /** Options for the client the provider creates when `http` is not given. */
  httpOptions?: HttpClientOptions;
  /** Entries asked for per list page, 1–50. Default 20. */
  pageSize?: number;
  /** Most pages read per list before the section fails as `invalid_response`. Default 50. */
  maxPages?: number;
  /** Optional sections to fetch (`provider.sections`). Default: none. */
  sections?: OptionalSections;
}

type Answer = { ok: true; code: number; data: unknown; headers: Record<string, string> } | { ok: false; error: ProviderError };

/** The adapter for our own mock provider (see docs/mock-provider.md), over real HTTP. */
export class MockProvider implements CreditProvider {
  readonly id = 'mock';
  readonly version = '1';
  readonly #http: HttpClient;
  readonly #ownsHttp: boolean;
  readonly #baseUrl: string;
  readonly #headers: Record<string, string>;
  readonly #pageSize: number;
  readonly #maxPages: number;
  readonly #sections: OptionalSections;

  constructor(options: MockProviderOptions) {
    this.#http = options.http ?? createHttpClient(options.httpOptions);
    this.#ownsHttp = options.http === undefined;
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#headers = options.token === undefined ? {} : { authorization: `Bearer ${options.token}` };
    this.#pageSize = options.pageSize ?? 20;
    this.#maxPages = options.maxPages ?? 50;
    this.#sections = options.sections ?? NO_OPTIONAL_SECTIONS;
    if (!Number.isInteger(this.#pageSize) || this.#pageSize < 1 || this.#pageSize > MOCK_MAX_PAGE_SIZE) {
      throw new RangeError(`MockProvider pageSize must be 1-${MOCK_MAX_PAGE_SIZE}, got ${this.#pageSize}`);
    }
    if (!Number.isInteger(this.#maxPages) || this.#maxPages < 1) {
      throw new RangeError(`MockProvider maxPages must be a positive integer, got ${this.#maxPages}`);
    }
  }

  /**
   * Fetches the three core sections and the configured optional ones concurrently; a failed
   * section never fails the others.
   */
  async fetchSections(uscc: string, signal: AbortSignal): Promise<RawSections> {
    return fetchSectionsConcurrently(
      {
        registration: () => this.#registration(uscc, signal),
        list: (section) => this.#list(uscc, section, signal),
        optional: (section) => this.#list(uscc, section, signal),
      },
      this.#sections,
    );
  }

  async close(): Promise<void> {
    if (this.#ownsHttp) await this.#http.close();
  }

  async #registration(uscc: string, signal: AbortSignal): Promise<SectionResult<RawRegistration>> {
    const what = `mock registration ${uscc}`;
    const answer = await this.#get(this.#url(uscc, SECTION_PATHS.registration), 'registration', what, signal);
    if (!answer.ok) return answer;
    if (answer.code === MOCK_CODES.notFound) return failure('not_found', `${what}: no such company`);
    if (answer.code === MOCK_CODES.noData) return failure('no_data', `${what}: no data`);
    if (answer.code !== MOCK_CODES.ok) return codeError(answer.code, answer.headers, what);
    const parsed = registrationDataSchema.safeParse(answer.data);
    if (!parsed.success) return failure('invalid_response', `${what}: unexpected data, ${describeZodError(parsed.error)}`);
    const data = parsed.data;
    if (normaliseUsccInput(data.creditCode) !== normaliseUsccInput(uscc)) {
      return failure('invalid_response', `${what}: foreign body, answer is for ${data.creditCode}`);
    }
    return {
      ok: true,
      value: {
        creditCode: data.creditCode,
        name: data.name,
        statusText: data.status,
        legalRepresentative: data.legalPerson,
        registeredCapitalText: data.regCapital,
        address: data.address,
        businessScope: data.scope,
        establishedOn: data.establishedOn,
      },
    };
  }

  async #list(uscc: string, list: MockListName, signal: AbortSignal): Promise<SectionResult<RawListEntry[]>> {
    const what = `mock ${SECTION_PATHS[list]} ${uscc}`;
    const fetchPage = async (pageNum: number): Promise<PageResult<ListEntryData>> => {
      const url = this.#url(uscc, SECTION_PATHS[list], { page: String(pageNum), pageSize: String(this.#pageSize) });
      const answer = await this.#get(url, list, `${what} page ${pageNum}`, signal);
      if (!answer.ok) return answer;
      if (answer.code === MOCK_CODES.noData) return { ok: true, page: { total: 0, items: [] } };
      if (answer.code === MOCK_CODES.notFound) return failure('not_found', `${what}: no such company`);
      if (answer.code !== MOCK_CODES.ok) return codeError(answer.code, answer.headers, what);
      const parsed = listPageSchema.safeParse(answer.data);
      if (!parsed.success) return failure('invalid_response', `${what}: unexpected data, ${describeZodError(parsed.error)}`);
      return { ok: true, page: parsed.data };
    };
    const result = await fetchAllPages(fetchPage, {
      pageSize: this.#pageSize,
      maxPages: this.#maxPages,
      keyOf: (entry) => entry.id,
      what,
    });
    if (!result.ok) return result;
    return { ok: true, value: result.value.map(toRawEntry) };
  }

  /** One GET, read down to the envelope's business code. */
  async #get(url: URL, section: SectionName, what: string, signal: AbortSignal): Promise<Answer> {
    const result = await this.#http.getJson(url, { headers: this.#headers, signal, section, rateLimitIn: mockRateLimitIn });
    if (!result.ok) return result;
    const envelope = envelopeSchema.safeParse(result.body);
    if (result.status !== 200) {
      // Only an HTTP 200 carries a business answer: a 404 from a wrong base URL must never read as
      // "no such company".
      const code = envelope.success ? `, code ${envelope.data.code}` : '';
      return failure('invalid_response', `${what}: unexpected HTTP ${result.status}${code}`);
    }
    if (!envelope.success) return failure('invalid_response', `${what}: not a {code, data} envelope`);
    return { ok: true, code: envelope.data.code, data: envelope.data.data, headers: result.headers };
  }

  #url(uscc: string, path: string, query: Record<string, string> = {}): URL {
    const url = new URL(`${this.#baseUrl}/v1/companies/${encodeURIComponent(uscc)}/${path}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return url;
  }
}

function toRawEntry(entry: ListEntryData): RawListEntry {
  return {
    recordId: entry.id,
    listedOn: entry.listedOn,
    reason: entry.reason,
    authority: entry.authority,
    removedOn: entry.removedOn,
    removalReason: entry.removalReason,
  };
}

/** The rate-limit answer sent in an HTTP 200 body (`code: 429`), for the request gate. */
function mockRateLimitIn({ headers, body }: { headers: Record<string, string>; body: unknown }): ProviderError | undefined {
  const code = typeof body === 'object' && body !== null ? (body as { code?: unknown }).code : undefined;
  return code === MOCK_CODES.rateLimited ? codeError(code, headers, 'mock').error : undefined;
}

/** A business error code other than ok / not found / no data. */
function codeError(code: number, headers: Record<string, string>, what: string): { ok: false; error: ProviderError } {
  if (code === MOCK_CODES.rateLimited) {
    const retryAfterMs = parseRetryAfter(headers['retry-after']);
    const message = `${what}: rate limited (code ${code})`;
    return { ok: false, error: retryAfterMs === undefined ? { kind: 'rate_limited', message } : { kind: 'rate_limited', message, retryAfterMs } };
  }
  if (code === MOCK_CODES.unauthorised || code === 403) return failure('auth', `${what}: credentials refused (code ${code})`);
  if (code === MOCK_CODES.quotaExhausted) return failure('quota', `${what}: quota exhausted (code ${code})`);
  if (code >= 500) return failure('transient', `${what}: provider unavailable (code ${code})`);
  return failure('invalid_response', `${what}: unexpected provider code ${code}`);
}

function failure(kind: ProviderError['kind'], message: string): { ok: false; error: ProviderError } {
  return { ok: false, error: { kind, message } };
}
