import {
  NO_OPTIONAL_SECTIONS,
  type ProviderError,
  type OptionalSections,
  type RawListEntry,
  type RawSections,
  type SectionName,
  type SectionResult,
} from '../../domain/sections.js';
import { fetchAllPages, type PageResult } from '../fetch-all-pages.js';
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../http-client.js';
import type { CreditProvider } from '../provider.js';
import { parseTycListPage, parseTycRegistration, readTycEnvelope, toRawEntry, type TycAnswer } from './parse-tianyancha-answer.js';
import { tycRateLimitIn } from './tianyancha-codes.js';
import { parseTycDishonestPage, parseTycPenaltyPage, toRawDishonest, toRawPenalty } from './parse-tianyancha-optional.js';
import type { TycListItem } from './tianyancha-schema.js';
import { fetchSectionsConcurrently } from '../fetch-sections.js';

/** The documented default origin; `CM_PROVIDER_URL` overrides it. */
export const TIANYANCHA_DEFAULT_URL = 'https://open.api.tianyancha.com';

/** Documented paths, appended to the base URL (origin plus optional path prefix). */
export const TIANYANCHA_PATHS = {
  registration: '/services/open/ic/baseinfo/normal',
  abnormalOperations: '/services/open/mr/abnormal/2.0',
  seriousViolations: '/services/open/mr/illegalinfo/2.0',
  administrativePenalties: '/services/open/mr/punishmentInfo/3.0',
  dishonestDebtors: '/services/open/jr/dishonest/2.0',
} as const satisfies Record<SectionName, string>;

/** The provider's maximum page size for the `mr/*` lists. */
export const TIANYANCHA_PAGE_SIZE = 20;

export interface TianyanchaProviderOptions {
  /** The console token (`CM_TIANYANCHA_TOKEN`), sent raw as `Authorization`; never logged. */
  token: string;
  /** Origin with an optional path prefix. Default `https://open.api.tianyancha.com` (`CM_PROVIDER_URL`). */
  baseUrl?: string;
  /** The HTTP client to use; the caller then owns it and `close()` leaves it open. */
  http?: HttpClient;
  /** Options for the client the provider creates when `http` is not given. */
  httpOptions?: HttpClientOptions;
  /** Most pages read per list before the section fails as `invalid_response`. Default 25 (500 entries). */
  maxPages?: number;
  /** Optional sections to fetch (`provider.sections`), each at least one more billed call. Default: none. */
  sections?: OptionalSections;
}

type ListSection = 'abnormalOperations' | 'seriousViolations';

/**
 * The 天眼查 open-platform adapter: registration from `ic/baseinfo/normal`, the abnormal-operations
 * and serious-violation lists from `mr/abnormal/2.0` and `mr/illegalinfo/2.0`, and when configured
 * penalties from `mr/punishmentInfo/3.0` and dishonest debtors from `jr/dishonest/2.0`, every page. Each call
 * is billed, so sections are fetched once each and list pages one after the other.
 */
export class TianyanchaProvider implements CreditProvider {
  readonly id = 'tianyancha';
  readonly version = '1';
  readonly #http: HttpClient;
  readonly #ownsHttp: boolean;
  readonly #baseUrl: string;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #maxPages: number;
  readonly #sections: OptionalSections;

  constructor(options: TianyanchaProviderOptions) {
    if (options.token.trim() === '') throw new RangeError('TianyanchaProvider needs a token');
    this.#http = options.http ?? createHttpClient(options.httpOptions);
    this.#ownsHttp = options.http === undefined;
    this.#baseUrl = (options.baseUrl ?? TIANYANCHA_DEFAULT_URL).replace(/\/+$/, '');
    // The raw token, no "Bearer": the platform's only auth scheme.
    this.#headers = { authorization: options.token };
    this.#maxPages = options.maxPages ?? 25;
    this.#sections = options.sections ?? NO_OPTIONAL_SECTIONS;
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
        optional: (section) => (section === 'administrativePenalties' ? this.#penalties(uscc, signal) : this.#dishonest(uscc, signal)),
      },
      this.#sections,
    );
  }

  async close(): Promise<void> {
    if (this.#ownsHttp) await this.#http.close();
  }

  async #registration(uscc: string, signal: AbortSignal): Promise<RawSections['registration']> {
    const what = `tianyancha registration ${uscc}`;
    const answer = await this.#get('registration', { keyword: uscc }, what, signal);
    return parseTycRegistration(answer, uscc, what);
  }

  async #list(uscc: string, section: ListSection, signal: AbortSignal): Promise<SectionResult<RawListEntry[]>> {
    const what = `tianyancha ${section} ${uscc}`;
    const fetchPage = async (pageNum: number): Promise<PageResult<TycListItem>> => {
      const query = { keyword: uscc, pageNum: String(pageNum), pageSize: String(TIANYANCHA_PAGE_SIZE) };
      const answer = await this.#get(section, query, `${what} page ${pageNum}`, signal);
      return parseTycListPage(answer, `${what} page ${pageNum}`);
    };
    const result = await fetchAllPages(fetchPage, {
      pageSize: TIANYANCHA_PAGE_SIZE,
      maxPages: this.#maxPages,
      keyOf: (item) => (item.id === null || item.id === undefined ? null : String(item.id)),
      what,
    });
    return result.ok ? { ok: true, value: result.value.map(toRawEntry) } : result;
  }

  /** `mr/punishmentInfo/3.0`, whose `total` is known to be wrong: paged until a short page. */
  async #penalties(uscc: string, signal: AbortSignal): Promise<SectionResult<RawListEntry[]>> {
    const what = `tianyancha administrativePenalties ${uscc}`;
    const result = await fetchAllPages(
      async (pageNum) => parseTycPenaltyPage(await this.#getPage('administrativePenalties', uscc, pageNum, what, signal), `${what} page ${pageNum}`),
      // No repeat check by decision number: two sources (信用中国, 市场监管总局) may publish one decision.
      { pageSize: TIANYANCHA_PAGE_SIZE, maxPages: this.#maxPages, keyOf: () => null, what, total: 'unreliable' },
    );
    return result.ok ? { ok: true, value: result.value.map(toRawPenalty) } : result;
  }

  async #dishonest(uscc: string, signal: AbortSignal): Promise<SectionResult<RawListEntry[]>> {
    const what = `tianyancha dishonestDebtors ${uscc}`;
    const result = await fetchAllPages(
      async (pageNum) => parseTycDishonestPage(await this.#getPage('dishonestDebtors', uscc, pageNum, what, signal), `${what} page ${pageNum}`),
      // The items' `id` is the company's, the same on every record: useless for catching repeats.
      { pageSize: TIANYANCHA_PAGE_SIZE, maxPages: this.#maxPages, keyOf: () => null, what },
    );
    return result.ok ? { ok: true, value: result.value.map(toRawDishonest) } : result;
  }

  #getPage(section: SectionName, uscc: string, pageNum: number, what: string, signal: AbortSignal): Promise<TycAnswer> {
    const query = { keyword: uscc, pageNum: String(pageNum), pageSize: String(TIANYANCHA_PAGE_SIZE) };
    return this.#get(section, query, `${what} page ${pageNum}`, signal);
  }

  async #get(section: SectionName, query: Record<string, string>, what: string, signal: AbortSignal): Promise<TycAnswer> {
    // URLSearchParams percent-encodes exactly once (a double-encoding client is a known bug).
    const url = new URL(`${this.#baseUrl}${TIANYANCHA_PATHS[section]}?${new URLSearchParams(query).toString()}`);
    const rateLimitIn = ({ body }: { body: unknown }): ProviderError | undefined => tycRateLimitIn(body, what);
    const result = await this.#http.getJson(url, { headers: this.#headers, signal, section, rateLimitIn });
    if (!result.ok) return { kind: 'error', error: result.error };
    return readTycEnvelope(result.status, result.body, what);
  }
}
