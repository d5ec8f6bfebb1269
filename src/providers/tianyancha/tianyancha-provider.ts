import { AppError } from '../../errors.js';
import type { OptionalSections } from '../../domain/sections.js';
import type { HttpClient } from '../http-client.js';
import type { ProviderWire } from '../section-table.js';
import { SectionTableProvider } from '../section-table-provider.js';
import { tycRateLimitIn } from './tianyancha-codes.js';
import { readTycEnvelope } from './tianyancha-envelope.js';
import { TIANYANCHA_SECTIONS } from './tianyancha-sections.js';

/** The documented default origin; `CM_PROVIDER_URL` overrides it. */
export const TIANYANCHA_DEFAULT_URL = 'https://open.api.tianyancha.com';

/** The provider's maximum page size for the lists. */
export const TIANYANCHA_PAGE_SIZE = 20;

export interface TianyanchaProviderOptions {
  /** The console token (`CM_TIANYANCHA_TOKEN`), sent raw as `Authorization`; never logged. */
  token: string;
  /** Origin with an optional path prefix. Default `https://open.api.tianyancha.com` (`CM_PROVIDER_URL`). */
  baseUrl?: string | undefined;
  /** The HTTP client, owned by the caller (the provider never closes it). */
  http: HttpClient;
  /** Most pages read per list before the section fails as `invalid_response`. Default 25 (500 entries). */
  maxPages?: number | undefined;
  /** Optional sections to fetch (`provider.sections`), each at least one more billed call. Default: none. */
  sections?: OptionalSections | undefined;
}

/**
 * The 天眼查 open-platform adapter: its sections are in TIANYANCHA_SECTIONS, its envelope and codes
 * in tianyancha-envelope.ts and tianyancha-codes.ts.
 */
export class TianyanchaProvider extends SectionTableProvider {
  constructor(options: TianyanchaProviderOptions) {
    if (options.token.trim() === '') throw new AppError('CONFIG_INVALID', 'the 天眼查 provider needs a token (CM_TIANYANCHA_TOKEN)');
    super({
      id: 'tianyancha',
      version: '1',
      http: options.http,
      wire: tianyanchaWire(options.baseUrl ?? TIANYANCHA_DEFAULT_URL, options.token),
      table: TIANYANCHA_SECTIONS,
      pageSize: TIANYANCHA_PAGE_SIZE,
      maxPages: options.maxPages ?? 25,
      sections: options.sections,
    });
  }
}

function tianyanchaWire(baseUrl: string, token: string): ProviderWire {
  const base = baseUrl.replace(/\/+$/, '');
  // The raw token, no "Bearer": the platform's only auth scheme.
  const headers = { authorization: token };
  return {
    // URLSearchParams percent-encodes exactly once (a double-encoding client is a known bug).
    request: ({ path, query }) => ({ url: new URL(`${base}${path}?${new URLSearchParams(query).toString()}`), headers }),
    readEnvelope: (answer, what) => readTycEnvelope(answer, what),
    rateLimitIn: ({ body }, what) => tycRateLimitIn(body, what),
  };
}
