import type { HttpClient } from './http-client.js';

/** What a call is for, as far as a gate needs to know (counting, budgets). */
export interface GatedCall {
  /** The section the call reads, e.g. "registration"; absent when the caller did not say. */
  section?: string | undefined;
}

/** Something that admits one request at a time, e.g. a fleet-wide rate limiter. */
export interface RequestGate {
  /** Resolves when one more request may be sent; rejects with the signal's reason on abort. */
  acquire(signal: AbortSignal, call?: GatedCall): Promise<void>;
}

/** Every request waits at the gate first, so a provider's rate limit holds per HTTP request, pages included. */
export function gatedHttpClient(http: HttpClient, gate: RequestGate): HttpClient {
  return {
    getJson: async (url, options) => {
      await gate.acquire(options.signal, { section: options.section });
      return http.getJson(url, options);
    },
    close: () => http.close(),
  };
}
