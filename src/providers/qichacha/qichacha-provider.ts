import { AppError } from '../../errors.js';
import type { OptionalSections } from '../../domain/sections.js';
import type { HttpClient } from '../http-client.js';
import type { ProviderWire } from '../section-table.js';
import { SectionTableProvider } from '../section-table-provider.js';
import { qccRateLimitIn } from './qichacha-codes.js';
import { readQccEnvelope } from './qichacha-envelope.js';
import { QICHACHA_SECTIONS } from './qichacha-sections.js';
import { qichachaTimespan, qichachaToken } from './qichacha-token.js';

/** The documented default origin; `CM_PROVIDER_URL` overrides it. */
export const QICHACHA_DEFAULT_URL = 'https://api.qichacha.com';

/** The provider's maximum page size. */
export const QICHACHA_PAGE_SIZE = 20;

export interface QichachaProviderOptions {
  /** AppKey (`CM_QICHACHA_KEY`), sent in the query as `key`. */
  key: string;
  /** SecretKey (`CM_QICHACHA_SECRET`); only its MD5 with key and time leaves the process. */
  secret: string;
  /** Origin with an optional path prefix. Default `https://api.qichacha.com` (`CM_PROVIDER_URL`). */
  baseUrl?: string | undefined;
  /** The HTTP client, owned by the caller (the provider never closes it). */
  http: HttpClient;
  /** Epoch ms now: signs each request and dates the waits of daily caps. Default `Date.now`. */
  clock?: (() => number) | undefined;
  /** Most pages read per list before the section fails as `invalid_response`. Default 25. */
  maxPages?: number | undefined;
  /** Optional sections to fetch (`provider.sections`), each at least one more billed call. Default: none. */
  sections?: OptionalSections | undefined;
}

/**
 * The 企查查 open-platform adapter: its sections are in QICHACHA_SECTIONS, its envelope and codes in
 * qichacha-envelope.ts and qichacha-codes.ts. Every request is signed afresh, since the Token covers
 * the second it was made in.
 */
export class QichachaProvider extends SectionTableProvider {
  constructor(options: QichachaProviderOptions) {
    if (options.key.trim() === '' || options.secret.trim() === '') {
      throw new AppError('CONFIG_INVALID', 'the 企查查 provider needs a key and a secret (CM_QICHACHA_KEY, CM_QICHACHA_SECRET)');
    }
    super({
      id: 'qichacha',
      version: '1',
      http: options.http,
      wire: qichachaWire(options.baseUrl ?? QICHACHA_DEFAULT_URL, options.key, options.secret),
      table: QICHACHA_SECTIONS,
      pageSize: QICHACHA_PAGE_SIZE,
      maxPages: options.maxPages ?? 25,
      sections: options.sections,
      clock: options.clock,
    });
  }
}

function qichachaWire(baseUrl: string, key: string, secret: string): ProviderWire {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    request: ({ path, query }, nowMs) => {
      const timespan = qichachaTimespan(nowMs);
      return {
        url: new URL(`${base}${path}?${new URLSearchParams({ key, ...query }).toString()}`),
        headers: { Token: qichachaToken(key, timespan, secret), Timespan: timespan },
      };
    },
    readEnvelope: readQccEnvelope,
    rateLimitIn: ({ body }, what, nowMs) => qccRateLimitIn(body, what, nowMs),
  };
}
