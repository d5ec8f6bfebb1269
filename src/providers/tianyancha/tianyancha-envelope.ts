import type { Envelope, JsonAnswer } from '../section-table.js';
import { TYC_CODES, tycCodeError } from './tianyancha-codes.js';
import { tycEnvelopeSchema } from './tianyancha-schema.js';

/**
 * Reads the `{error_code, reason, result}` envelope of a parsed JSON body. Only an HTTP 200 carries
 * data or "no data" (300000): a 404 from a wrong base URL must never read as "no such company". A
 * non-200 body that names a real error code (some gateways answer 4xx with the envelope) maps like a 200.
 */
export function readTycEnvelope({ status: httpStatus, body }: Pick<JsonAnswer, 'status' | 'body'>, what: string): Envelope {
  const envelope = tycEnvelopeSchema.safeParse(body);
  if (!envelope.success || typeof body !== 'object' || body === null || Array.isArray(body)) {
    return invalid(`${what}: not an {error_code, result} envelope`);
  }
  const { result } = envelope.data;
  // `{"result": {...}}` without a code is a published success form; a body with neither is not an answer.
  const code = envelope.data.error_code ?? (result === undefined ? undefined : TYC_CODES.ok);
  if (code === undefined) return invalid(`${what}: envelope has neither error_code nor result`);
  if (httpStatus !== 200) {
    if (code !== TYC_CODES.ok && code !== TYC_CODES.noData) return { kind: 'error', error: tycCodeError(code, what) };
    return invalid(`${what}: unexpected HTTP ${httpStatus} (error_code ${code})`);
  }
  if (code === TYC_CODES.noData) return { kind: 'no_data' };
  if (code !== TYC_CODES.ok) return { kind: 'error', error: tycCodeError(code, what) };
  if (result === undefined || result === null) return invalid(`${what}: error_code 0 without a result`);
  return { kind: 'data', result };
}

function invalid(message: string): Envelope {
  return { kind: 'error', error: { kind: 'invalid_response', message } };
}
