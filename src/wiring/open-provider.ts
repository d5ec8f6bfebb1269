/** The configured provider adapter over its own HTTP client, optionally behind the fleet's gate. */
import type { Config } from '../config/load-config.js';
import type { Logger } from '../logger.js';
import { gatedHttpClient, type RequestGate } from '../providers/gated-http-client.js';
import { createHttpClient, HTTP_CLIENT_DEFAULTS } from '../providers/http-client.js';
import { MockProvider } from '../providers/mock/mock-provider.js';
import { startMockProviderServer } from '../providers/mock/server.js';
import { loadMockState } from '../providers/mock/state.js';
import type { CreditProvider } from '../providers/provider.js';
import { QICHACHA_DEFAULT_URL, QichachaProvider } from '../providers/qichacha/qichacha-provider.js';
import { TIANYANCHA_DEFAULT_URL, TianyanchaProvider } from '../providers/tianyancha/tianyancha-provider.js';
import { SAMPLE_PORTFOLIO_PATH } from './sample-data.js';

export interface ProviderHandle {
  provider: CreditProvider;
  /** Set when the built-in mock provider runs in this process. */
  builtInUrl?: string;
  close(): Promise<void>;
}

/**
 * The configured provider. With CM_PROVIDER unset (or `mock` without CM_PROVIDER_URL) the built-in
 * mock provider runs in this process on the sample portfolio, so a newcomer sees checks at once.
 */
export async function openProvider(
  config: Config,
  logger: Logger,
  options: { gate?: RequestGate } = {},
): Promise<ProviderHandle> {
  const direct = createHttpClient({
    headersTimeoutMs: config.provider.timeoutMs,
    bodyTimeoutMs: config.provider.timeoutMs,
    maxBodyBytes: config.provider.maxBodyBytes,
  });
  // The gate admits a request only once one of the client's connections is free for it.
  const http = options.gate ? gatedHttpClient(direct, options.gate, { maxInFlight: HTTP_CLIENT_DEFAULTS.connections }) : direct;
  const kind = config.provider.kind;
  // The optional sections (provider.sections) each cost calls; only the adapter knows which ones.
  const sections = config.provider.sections;
  switch (kind) {
    case 'mock': {
      if (config.provider.url) {
        const provider = new MockProvider({ baseUrl: config.provider.url, http, sections });
        return { provider, close: () => http.close() };
      }
      const server = await startMockProviderServer({ state: await loadMockState(SAMPLE_PORTFOLIO_PATH), logger });
      logger.info({ url: server.url }, 'no provider configured: using the built-in mock provider on the sample portfolio');
      const provider = new MockProvider({ baseUrl: server.url, http, sections });
      return {
        provider,
        builtInUrl: server.url,
        close: async () => {
          await http.close();
          await server.close();
        },
      };
    }
    case 'tianyancha': {
      const { token } = config.provider.credentials;
      const baseUrl = config.provider.url ?? TIANYANCHA_DEFAULT_URL;
      return withHttp(http, () => new TianyanchaProvider({ token, baseUrl, http, sections }));
    }
    case 'qichacha': {
      const { key, secret } = config.provider.credentials;
      const baseUrl = config.provider.url ?? QICHACHA_DEFAULT_URL;
      return withHttp(http, () => new QichachaProvider({ key, secret, baseUrl, http, sections }));
    }
  }
}

/** A provider over `http`, which its handle closes; an adapter that refuses the configuration closes it too. */
async function withHttp(http: { close(): Promise<void> }, create: () => CreditProvider): Promise<ProviderHandle> {
  try {
    return { provider: create(), close: () => http.close() };
  } catch (error) {
    await http.close();
    throw error;
  }
}
