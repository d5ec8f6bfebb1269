import type { ProviderError } from '../../domain/sections.js';
import { parseRetryAfter } from '../../outbound-http/retry-after.js';
import type { Envelope, JsonAnswer } from '../section-table.js';
import { envelopeSchema } from './wire-schema.js';
import { MOCK_CODES } from './wire-paths.js';

/**
 * Reads the mock's `{ code, message?, data? }` envelope (docs/mock-provider.md). Only an HTTP 200
 * carries a business answer: a 404 from a wrong base URL must never read as "no such company".
 */
export function readMockEnvelope({ status, headers, body }: JsonAnswer, what: string, nowMs: number): Envelope {
  const envelope = envelopeSchema.safeParse(body);
  if (status !== 200) {
    const code = envelope.success ? `, code ${envelope.data.code}` : '';
    return invalid(`${what}: unexpected HTTP ${status}${code}`);
  }
  if (!envelope.success) return invalid(`${what}: not a {code, data} envelope`);
  const { code, data } = envelope.data;
  if (code === MOCK_CODES.ok) return { kind: 'data', result: data };
  if (code === MOCK_CODES.noData) return { kind: 'no_data' };
  return { kind: 'error', error: mockCodeError(code, headers, what, nowMs) };
}

/** The rate-limit answer sent in a body (`code: 429`, whatever the HTTP status), for the request gate. */
export function mockRateLimitIn({ headers, body }: JsonAnswer, what: string, nowMs: number): ProviderError | undefined {
  const code = typeof body === 'object' && body !== null ? (body as { code?: unknown }).code : undefined;
  return code === MOCK_CODES.rateLimited ? mockCodeError(code, headers, what, nowMs) : undefined;
}

/** The port's error for a business code other than ok and no data. */
function mockCodeError(code: number, headers: Record<string, string>, what: string, nowMs: number): ProviderError {
  if (code === MOCK_CODES.notFound) return { kind: 'not_found', message: `${what}: no such company` };
  if (code === MOCK_CODES.rateLimited) {
    const retryAfterMs = parseRetryAfter(headers['retry-after'], nowMs);
    const message = `${what}: rate limited (code ${code})`;
    return retryAfterMs === undefined ? { kind: 'rate_limited', message } : { kind: 'rate_limited', message, retryAfterMs };
  }
  if (code === MOCK_CODES.unauthorised || code === 403) return { kind: 'auth', message: `${what}: credentials refused (code ${code})` };
  if (code === MOCK_CODES.quotaExhausted) return { kind: 'quota', message: `${what}: quota exhausted (code ${code})` };
  if (code >= 500) return { kind: 'transient', message: `${what}: provider unavailable (code ${code})` };
  return { kind: 'invalid_response', message: `${what}: unexpected provider code ${code}` };
}

function invalid(message: string): Envelope {
  return { kind: 'error', error: { kind: 'invalid_response', message } };
}
