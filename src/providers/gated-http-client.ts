import type { ProviderError } from '../domain/sections.js';
import type { GetJsonOptions, GetJsonResult, HttpClient } from './http-client.js';

/** What a call is for, as far as a gate needs to know (counting, budgets). */
export interface GatedCall {
  /** The section the call reads, e.g. "registration"; absent when the caller did not say. */
  section?: string | undefined;
}

/** The gate's answer: send now, or do not send (the provider's requests are paused for longer than the caller waits). */
export type GateAnswer<Ticket> = { admitted: true; ticket: Ticket } | { admitted: false; retryAfterMs: number };

/**
 * How an admitted request ended, as far as pacing is concerned: the provider answered (`answered`,
 * whatever the answer said), refused it for its rate (`rate_limited`), or there was no answer
 * (`failed`: network, 5xx, timeout).
 */
export type GateOutcome = { kind: 'answered' } | { kind: 'failed' } | { kind: 'rate_limited'; retryAfterMs: number | undefined };

/** Something that admits one request at a time, e.g. the fleet-wide request limiter. */
export interface RequestGate<Ticket = unknown> {
  /**
   * Resolves when one more request may be sent, and the caller sends it at once; or, when requests
   * are paused for longer than the gate lets a caller wait, with `admitted: false` and the wait.
   * Rejects with the signal's reason on abort.
   */
  acquire(signal: AbortSignal, call?: GatedCall): Promise<GateAnswer<Ticket>>;
  /** Reports how an admitted request ended: a rate-limit answer is pacing for every later request. Never rejects. */
  settle(ticket: Ticket, outcome: GateOutcome): Promise<void>;
}

export interface GatedHttpClientOptions {
  /**
   * Requests in flight at once: the HTTP client's connections to the provider. A request takes its
   * token only once it holds one of these, so a token is never spent on a request that then waits
   * for a connection (tokens taken early reach the provider later, in a burst).
   */
  maxInFlight: number;
}

/**
 * Every request waits for a connection, then at the gate, so a provider's rate limit holds per HTTP
 * request, pages included, measured when the request is sent. The provider's own rate-limit answer,
 * whether an HTTP 429 or a business code in a 200 body (`GetJsonOptions.rateLimitIn`), goes back to
 * the gate as pacing.
 */
export function gatedHttpClient<Ticket>(http: HttpClient, gate: RequestGate<Ticket>, options: GatedHttpClientOptions): HttpClient {
  const connections = createSlots(options.maxInFlight);
  return {
    getJson: async (url, getOptions) => {
      const release = await connections.take(getOptions.signal);
      let ticket: Ticket;
      let result: GetJsonResult;
      try {
        const answer = await gate.acquire(getOptions.signal, { section: getOptions.section });
        if (!answer.admitted) return notSent(url, answer.retryAfterMs);
        ticket = answer.ticket;
        result = await http.getJson(url, getOptions);
      } finally {
        release();
      }
      await gate.settle(ticket, outcomeOf(result, getOptions));
      return result;
    },
    close: () => http.close(),
  };
}

function outcomeOf(result: GetJsonResult, options: GetJsonOptions): GateOutcome {
  const limited: ProviderError | undefined = result.ok ? options.rateLimitIn?.(result) : result.error;
  if (limited?.kind === 'rate_limited') return { kind: 'rate_limited', retryAfterMs: limited.retryAfterMs };
  return result.ok ? { kind: 'answered' } : { kind: 'failed' };
}

/** The answer for a request the gate held back: a rate limit, so the check is put back, not failed. */
function notSent(url: string | URL, retryAfterMs: number): GetJsonResult {
  const target = new URL(url);
  return {
    ok: false,
    error: {
      kind: 'rate_limited',
      message: `GET ${target.host}${target.pathname}: not sent, provider requests are paused for ${Math.ceil(retryAfterMs / 1000)} s after a rate-limit answer`,
      retryAfterMs,
    },
  };
}

/** A FIFO counting semaphore whose waiters can be aborted. */
function createSlots(size: number): { take(signal: AbortSignal): Promise<() => void> } {
  let free = Math.max(1, Math.floor(size));
  const waiting: Array<() => void> = [];
  const releaser = (): (() => void) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = waiting.shift();
      if (next) next();
      else free += 1;
    };
  };
  return {
    take(signal) {
      signal.throwIfAborted();
      if (free > 0) {
        free -= 1;
        return Promise.resolve(releaser());
      }
      return new Promise((resolve, reject) => {
        const onAbort = (): void => {
          const index = waiting.indexOf(grant);
          if (index >= 0) waiting.splice(index, 1);
          reject(signal.reason as Error);
        };
        const grant = (): void => {
          signal.removeEventListener('abort', onAbort);
          resolve(releaser());
        };
        waiting.push(grant);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}
