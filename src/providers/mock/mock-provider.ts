import { AppError } from '../../errors.js';
import type { OptionalSections } from '../../domain/sections.js';
import type { HttpClient } from '../http-client.js';
import type { ProviderWire } from '../section-table.js';
import { SectionTableProvider } from '../section-table-provider.js';
import { mockRateLimitIn, readMockEnvelope } from './mock-envelope.js';
import { MOCK_SECTIONS } from './mock-sections.js';
import { MOCK_MAX_PAGE_SIZE } from './wire-paths.js';

export interface MockProviderOptions {
  /** Origin of the mock API, with an optional path prefix, e.g. "http://127.0.0.1:8787" (`CM_PROVIDER_URL`). */
  baseUrl: string;
  /** Sent as `authorization: Bearer <token>` when set; the mock requires it only if started with one. */
  token?: string | undefined;
  /** The HTTP client, owned by the caller (the provider never closes it). */
  http: HttpClient;
  /** Entries asked for per list page, 1–50. Default 20. */
  pageSize?: number | undefined;
  /** Most pages read per list before the section fails as `invalid_response`. Default 50. */
  maxPages?: number | undefined;
  /** Optional sections to fetch (`provider.sections`). Default: none. */
  sections?: OptionalSections | undefined;
}

/** The adapter for our own mock provider (see docs/mock-provider.md), over real HTTP. */
export class MockProvider extends SectionTableProvider {
  constructor(options: MockProviderOptions) {
    const pageSize = options.pageSize ?? 20;
    if (pageSize > MOCK_MAX_PAGE_SIZE) {
      throw new AppError('CONFIG_INVALID', `mock provider: pageSize must be 1-${MOCK_MAX_PAGE_SIZE}, got ${pageSize}`);
    }
    super({
      id: 'mock',
      version: '1',
      http: options.http,
      wire: mockWire(options.baseUrl, options.token),
      table: MOCK_SECTIONS,
      pageSize,
      maxPages: options.maxPages ?? 50,
      sections: options.sections,
    });
  }
}

function mockWire(baseUrl: string, token: string | undefined): ProviderWire {
  const base = baseUrl.replace(/\/+$/, '');
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  return {
    request: ({ path, query, uscc }) => {
      const url = new URL(`${base}/v1/companies/${encodeURIComponent(uscc)}/${path}`);
      for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
      return { url, headers };
    },
    readEnvelope: readMockEnvelope,
    rateLimitIn: mockRateLimitIn,
  };
}
