import type { ProviderError } from '../domain/sections.js';
import { parseRetryAfter } from '../outbound-http/retry-after.js';

/** Where a request was when it failed: before the response headers, or while reading the body. */
export type RequestPhase = 'headers' | 'body';

/** System error codes that mean the network or the peer failed: worth a retry. */
const NETWORK_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection broken',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'name lookup failed',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CLOSED: 'client closed',
  UND_ERR_DESTROYED: 'client destroyed',
};

/** Codes that mean the connection ended while the body was still arriving. */
const CUT_SHORT_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH']);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/**
 * Translates an error thrown by undici (or by the socket under it) into a ProviderError. The
 * message names `where` (host + path, never the query string, which may carry keys) and the error
 * code, never the library's own message, which may quote more than we want in a log.
 *
 * A connection that ends while the body is arriving is a truncated answer: `invalid_response`,
 * like truncated JSON, because what we hold is a partial document. Before the headers, the same
 * failure is `transient`.
 */
export function classifyRequestError(error: unknown, where: string, phase: RequestPhase): ProviderError {
  const code = codeOf(error);
  if (code === undefined) {
    return { kind: 'transient', message: `${where}: request failed (${errorName(error)})` };
  }
  if (phase === 'body' && CUT_SHORT_CODES.has(code)) {
    return { kind: 'invalid_response', message: `${where}: body truncated, connection ended early (${code})` };
  }
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { kind: 'transient', message: `${where}: connect timeout (${code})` };
    case 'UND_ERR_HEADERS_TIMEOUT':
      return { kind: 'transient', message: `${where}: no response headers in time (${code})` };
    case 'UND_ERR_BODY_TIMEOUT':
      return { kind: 'transient', message: `${where}: body stalled (${code})` };
    case 'UND_ERR_HEADERS_OVERFLOW':
      return { kind: 'invalid_response', message: `${where}: response headers too large (${code})` };
    default:
      break;
  }
  const network = NETWORK_CODES[code];
  if (network !== undefined) return { kind: 'transient', message: `${where}: ${network} (${code})` };
  if (code.startsWith('HPE_')) {
    return { kind: 'invalid_response', message: `${where}: malformed HTTP response (${code})` };
  }
  // Unknown codes are most likely network trouble we have not named; a retry costs little and a
  // permanent failure would hide the customer from monitoring.
  return { kind: 'transient', message: `${where}: request failed (${code})` };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/**
 * The ProviderError for an HTTP status that ends the request before the body is read, or
 * undefined when the body should be read (2xx, and 4xx other than 401/403/429, whose bodies carry
 * the provider's own error envelope).
 */
export function errorForStatus(
  status: number,
  headers: Readonly<Record<string, string>>,
  where: string,
): ProviderError | undefined {
  if (status >= 300 && status < 400) {
    return { kind: 'invalid_response', message: `${where}: HTTP ${status}, redirects are not followed` };
  }
  if (status === 401 || status === 403) return { kind: 'auth', message: `${where}: HTTP ${status}, credentials refused` };
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(headers['retry-after']);
    const message = `${where}: HTTP 429, rate limited`;
    return retryAfterMs === undefined ? { kind: 'rate_limited', message } : { kind: 'rate_limited', message, retryAfterMs };
  }
  if (status >= 500) return { kind: 'transient', message: `${where}: HTTP ${status}` };
  if (status < 200) return { kind: 'invalid_response', message: `${where}: unexpected HTTP ${status}` };
  return undefined;
}
