import { Agent, request, type Dispatcher } from 'undici';
import type { ProviderError, SectionName } from '../domain/sections.js';
import { classifyRequestError, errorForStatus, type RequestPhase } from './classify-http-error.js';
import { currentCheckBytes } from './check-byte-budget.js';
import { readJsonBody } from './read-json-body.js';
import { linkDeadline } from '../outbound-http/link-deadline.js';

/** Settings of the one HTTP client every provider adapter uses. */
export interface HttpClientOptions {
  /** Time to establish a TCP (and TLS) connection, in ms. Default 5000. Applies only to the
   *  client's own Agent: an injected `dispatcher` brings its own connect settings. */
  connectTimeoutMs?: number;
  /** Time from sending the request to receiving the complete response headers, in ms. Default 10000. */
  headersTimeoutMs?: number;
  /** Longest silence between two body chunks, in ms. Default 10000. */
  bodyTimeoutMs?: number;
  /** Deadline for the whole exchange (connect, headers and body), in ms, so that a server that
   *  drips a byte just inside `bodyTimeoutMs` cannot hold a request forever. Default 30000. */
  totalTimeoutMs?: number;
  /** Largest response body accepted, in bytes; a larger one is abandoned unread. Default 2 MiB. */
  maxBodyBytes?: number;
  /**
   * Most bytes one check reads in all (every page of every section, see check-byte-budget.ts); the
   * body that crosses it is abandoned and its section fails as `invalid_response`. Default three
   * times `maxBodyBytes` (6 MiB): far above a real check (a few KB to a few hundred KB), and at the
   * default scan concurrency of 8 at most 48 MiB of answers in flight under the worker's 192 MB heap.
   */
  maxCheckBytes?: number;
  /** Most concurrent connections per origin (the client's own Agent only). Default 10. */
  connections?: number;
  /** Sent as `user-agent`. Default "credit-monitor". */
  userAgent?: string;
  /** An undici Dispatcher to send through instead of the client's own Agent (tests, proxies).
   *  The caller owns it: `close()` leaves it open. */
  dispatcher?: Dispatcher;
}

export const HTTP_CLIENT_DEFAULTS = {
  connectTimeoutMs: 5_000,
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 10_000,
  totalTimeoutMs: 30_000,
  maxBodyBytes: 2 * 1024 * 1024,
  connections: 10,
  userAgent: 'credit-monitor',
} as const;

export interface GetJsonOptions {
  /** Extra request headers (auth); they may carry secrets, so they are never logged or echoed. */
  headers?: Readonly<Record<string, string>>;
  /** Cancels the request. See `HttpClient.getJson` for how an abort is reported. */
  signal: AbortSignal;
  /** The section this call reads, for call counting by a gate (see gated-http-client.ts); never sent. */
  section?: SectionName;
  /**
   * The adapter's reading of a rate-limit answer in a parsed body (天眼查 300004, 企查查 120/122 in an
   * HTTP 200), so that a gate treats it as pacing like an HTTP 429; never sent. Only a
   * `rate_limited` error counts.
   */
  rateLimitIn?: (answer: { status: number; headers: Record<string, string>; body: unknown }) => ProviderError | undefined;
}

/** A parsed JSON answer (2xx, or a 4xx other than 401/403/429 whose body is the provider's error
 *  envelope), or the typed reason there is none. Header names are lower-case. */
export type GetJsonResult =
  | { ok: true; status: number; headers: Record<string, string>; body: unknown }
  | { ok: false; error: ProviderError };

export interface HttpClient {
  /**
   * GETs a JSON document. Never throws for a network or HTTP problem: those come back as
   * `{ ok: false, error }` (see `classifyRequestError` and `errorForStatus` for the mapping).
   *
   * An abort of `signal` is the one exception: a cancellation (shutdown) is not a failed section,
   * so it rethrows `signal.reason` for the caller's shutdown path to handle. An abort whose reason
   * is a `TimeoutError` (from `AbortSignal.timeout`) is a deadline, not a cancellation, and comes
   * back as `transient`. Redirects are never followed: a 3xx is `invalid_response`.
   */
  getJson(url: string | URL, options: GetJsonOptions): Promise<GetJsonResult>;
  /** Closes the client's own Agent after in-flight requests end; an injected dispatcher stays open. */
  close(): Promise<void>;
}

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const settings = { ...HTTP_CLIENT_DEFAULTS, ...withoutUndefined(options) };
  const maxCheckBytes = options.maxCheckBytes ?? 3 * settings.maxBodyBytes;
  const dispatcher: Dispatcher =
    options.dispatcher ??
    new Agent({
      connect: { timeout: settings.connectTimeoutMs },
      connections: settings.connections,
      headersTimeout: settings.headersTimeoutMs,
      bodyTimeout: settings.bodyTimeoutMs,
    });
  const owned = options.dispatcher === undefined ? dispatcher : undefined;

  async function getJson(url: string | URL, { headers = {}, signal }: GetJsonOptions): Promise<GetJsonResult> {
    const target = new URL(url);
    const where = `GET ${target.host}${target.pathname}`;
    const deadline = linkDeadline(signal, settings.totalTimeoutMs, 'no complete response');
    const fail = (error: unknown, phase: RequestPhase): GetJsonResult => ({
      ok: false,
      error: abortedBy(signal, deadline.passed(), where, settings.totalTimeoutMs) ?? classifyRequestError(error, where, phase),
    });
    try {
      if (signal.aborted) return fail(signal.reason, 'headers');
      let response: Awaited<ReturnType<typeof request>>;
      try {
        response = await request(target, {
          method: 'GET',
          dispatcher,
          signal: deadline.signal,
          headers: { accept: 'application/json', 'user-agent': settings.userAgent, ...headers },
          headersTimeout: settings.headersTimeoutMs,
          bodyTimeout: settings.bodyTimeoutMs,
          // undici's request() never follows redirects; 0 also disables a redirect interceptor that
          // an injected dispatcher may have been composed with.
          maxRedirections: 0,
        } as Parameters<typeof request>[1]);
      } catch (error) {
        return fail(error, 'headers');
      }

      const status = response.statusCode;
      const responseHeaders = flattenHeaders(response.headers);
      const contentType = responseHeaders['content-type'] ?? '';
      const statusError =
        errorForStatus(status, responseHeaders, where) ??
        (/\b(text\/html|application\/xhtml)/i.test(contentType)
          ? { kind: 'invalid_response' as const, message: `${where}: HTTP ${status} HTML page instead of JSON` }
          : undefined);
      if (statusError !== undefined) {
        discard(response.body);
        return { ok: false, error: statusError };
      }
      try {
        const check = currentCheckBytes();
        const shared = check === undefined ? undefined : { limitBytes: maxCheckBytes, count: check };
        const read = await readJsonBody(response.body, settings.maxBodyBytes, where, responseHeaders['content-length'], shared);
        return read.ok ? { ok: true, status, headers: responseHeaders, body: read.body } : read;
      } catch (error) {
        return fail(error, 'body');
      }
    } finally {
      deadline.release();
    }
  }

  return {
    getJson,
    async close() {
      await owned?.close();
    },
  };
}

/**
 * When the request ended because a signal fired: a deadline gives `transient`, a cancellation by
 * the caller rethrows its reason (see `HttpClient.getJson`). Undefined when no signal fired.
 */
function abortedBy(
  caller: AbortSignal,
  deadlinePassed: boolean,
  where: string,
  totalTimeoutMs: number,
): ProviderError | undefined {
  if (caller.aborted) {
    if (isTimeoutReason(caller.reason)) return { kind: 'transient', message: `${where}: caller's deadline passed` };
    throw caller.reason;
  }
  if (deadlinePassed) return { kind: 'transient', message: `${where}: no complete response within ${totalTimeoutMs} ms` };
  return undefined;
}

function isTimeoutReason(reason: unknown): boolean {
  return typeof reason === 'object' && reason !== null && 'name' in reason && reason.name === 'TimeoutError';
}

/** Frees the connection without reading an unwanted body; errors here no longer matter. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.dump({ limit: 64 * 1024 }).catch(() => undefined);
}

function flattenHeaders(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
