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
import { parseQccListPage, parseQccRegistration, readQccEnvelope, toRawEntry, type QccAnswer } from './parse-qichacha-answer.js';
import { parseQccDishonestPage, parseQccPenaltyPage, toRawDishonest, toRawPenalty } from './parse-qichacha-optional.js';
import type { QccListItem } from './qichacha-schema.js';
import { qccRateLimitIn } from './qichacha-codes.js';
import { qichachaTimespan, qichachaToken } from './qichacha-token.js';
import { fetchSectionsConcurrently } from '../fetch-sections.js';

/** The documented default origin; `CM_PROVIDER_URL` overrides it. */
export const QICHACHA_DEFAULT_URL = 'https://api.qichacha.com';

/** Documented paths, appended to the base URL (origin plus optional path prefix). */
export const QICHACHA_PATHS = {
  registration: '/ECIV4/GetBasicDetailsByName',
  abnormalOperations: '/ExceptionCheck/GetList',
  seriousViolations: '/SeriousIllegalCheck/GetList',
  administrativePenalties: '/AdminPenaltyCheck/GetList',
  dishonestDebtors: '/ShixinCheck/GetList',
} as const satisfies Record<SectionName, string>;

/** The provider's maximum page size. */
export const QICHACHA_PAGE_SIZE = 20;

export interface QichachaProviderOptions {
  /** AppKey (`CM_QICHACHA_KEY`), sent in the query as `key`. */
  key: string;
  /** SecretKey (`CM_QICHACHA_SECRET`); only its MD5 with key and time leaves the process. */
  secret: string;
  /** Origin with an optional path prefix. Default `https://api.qichacha.com` (`CM_PROVIDER_URL`). */
  baseUrl?: string;
  /** The HTTP client to use; the caller then owns it and `close()` leaves it open. */
  http?: HttpClient;
  /** Options for the client the provider creates when `http` is not given. */
  httpOptions?: HttpClientOptions;
  /** Epoch ms now: signs each request and dates the waits of daily caps. Default `Date.now`. */
  clock?: () => number;
  /** Most pages read per list before the section fails as `invalid_response`. Default 25. */
  maxPages?: number;
  /** Optional sections to fetch (`provider.sections`), each at least one more billed call. Default: none. */
  sections?: OptionalSections;
}

type ListSection = 'abnormalOperations' | 'seriousViolations';

/**
 * The 企查查 open-platform adapter: registration from `ECIV4/GetBasicDetailsByName`, the lists from
 * `ExceptionCheck/GetList` and `SeriousIllegalCheck/GetList`, and when configured penalties from
 * `AdminPenaltyCheck/GetList` and dishonest debtors from `ShixinCheck/GetList`. Every request is signed afresh, since
 * the Token covers the second it was made in.
 */
export class QichachaProvider implements CreditProvider {
  readonly id = 'qichacha';
  readonly version = '1';
  readonly #http: HttpClient;
  readonly #ownsHttp: boolean;
  readonly #baseUrl: string;
  readonly #key: string;
  readonly #secret: string;
  readonly #clock: () => number;
  readonly #maxPages: number;
  readonly #sections: OptionalSections;

  constructor(options: QichachaProviderOptions) {
    if (options.key.trim() === '' || options.secret.trim() === '') throw new RangeError('QichachaProvider needs a key and a secret');
    this.#http = options.http ?? createHttpClient(options.httpOptions);
    this.#ownsHttp = options.http === undefined;
    this.#baseUrl = (options.baseUrl ?? QICHACHA_DEFAULT_URL).replace(/\/+$/, '');
    this.#key = options.key;
    this.#secret = options.secret;
    this.#clock = options.clock ?? Date.now;
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
        optional: (section) => this.#optional(uscc, section, signal),
      },
      this.#sections,
    );
  }

  async close(): Promise<void> {
    if (this.#ownsHttp) await this.#http.close();
  }

  async #registration(uscc: string, signal: AbortSignal): Promise<RawSections['registration']> {
    const what = `qichacha registration ${uscc}`;
    const answer = await this.#get('registration', { keyword: uscc }, what, signal);
    return parseQccRegistration(answer, uscc, what);
  }

  async #list(uscc: string, section: ListSection, signal: AbortSignal): Promise<SectionResult<RawListEntry[]>> {
    const what = `qichacha ${section} ${uscc}`;
    const fetchPage = async (pageIndex: number): Promise<PageResult<QccListItem>> => {
      const query = { searchKey: uscc, pageIndex: String(pageIndex), pageSize: String(QICHACHA_PAGE_SIZE) };
      const answer = await this.#get(section, query, `${what} page ${pageIndex}`, signal);
      return parseQccListPage(answer, `${what} page ${pageIndex}`);
    };
    const result = await fetchAllPages(fetchPage, { pageSize: QICHACHA_PAGE_SIZE, maxPages: this.#maxPages, keyOf: () => null, what });
    return result.ok ? { ok: true, value: result.value.map(toRawEntry) } : result;
  }

  /** `AdminPenaltyCheck` or `ShixinCheck`, both paged with `Paging.TotalRecords`. */
  async #optional(
    uscc: string,
    section: 'administrativePenalties' | 'dishonestDebtors',
    signal: AbortSignal,
  ): Promise<SectionResult<RawListEntry[]>> {
    const what = `qichacha ${section} ${uscc}`;
    const page = async (pageIndex: number): Promise<QccAnswer> => {
      const query = { searchKey: uscc, pageIndex: String(pageIndex), pageSize: String(QICHACHA_PAGE_SIZE) };
      return this.#get(section, query, `${what} page ${pageIndex}`, signal);
    };
    const options = { pageSize: QICHACHA_PAGE_SIZE, maxPages: this.#maxPages, keyOf: () => null, what };
    if (section === 'administrativePenalties') {
      const result = await fetchAllPages(async (n) => parseQccPenaltyPage(await page(n), `${what} page ${n}`), options);
      return result.ok ? { ok: true, value: result.value.map(toRawPenalty) } : result;
    }
    const result = await fetchAllPages(async (n) => parseQccDishonestPage(await page(n), `${what} page ${n}`), options);
    return result.ok ? { ok: true, value: result.value.map(toRawDishonest) } : result;
  }

  async #get(section: SectionName, query: Record<string, string>, what: string, signal: AbortSignal): Promise<QccAnswer> {
    const now = this.#clock();
    const timespan = qichachaTimespan(now);
    const url = new URL(`${this.#baseUrl}${QICHACHA_PATHS[section]}?${new URLSearchParams({ key: this.#key, ...query }).toString()}`);
    const headers = { Token: qichachaToken(this.#key, timespan, this.#secret), Timespan: timespan };
    const rateLimitIn = ({ body }: { body: unknown }): ProviderError | undefined => qccRateLimitIn(body, what, now);
    const result = await this.#http.getJson(url, { headers, signal, section, rateLimitIn });
    if (!result.ok) return { kind: 'error', error: result.error };
    return readQccEnvelope(result.status, result.body, what, now);
  }
}
