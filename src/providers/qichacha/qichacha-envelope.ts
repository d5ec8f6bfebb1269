import type { Envelope, JsonAnswer } from '../section-table.js';
import { QCC_STATUS, qccStatusError } from './qichacha-codes.js';
import { qccEnvelopeSchema } from './qichacha-schema.js';

/**
 * Reads the `{Status, Message, OrderNumber, Paging?, Result}` envelope of a parsed JSON body. Only an
 * HTTP 200 carries data or "no data" (201); a non-200 body with a real error Status maps like a 200.
 * `Paging.TotalRecords`, when sent, is the list's size. `nowMs` dates the advised waits of the daily caps.
 */
export function readQccEnvelope({ status: httpStatus, body }: Pick<JsonAnswer, 'status' | 'body'>, what: string, nowMs: number): Envelope {
  const envelope = qccEnvelopeSchema.safeParse(body);
  if (!envelope.success || typeof body !== 'object' || body === null || Array.isArray(body)) {
    return invalid(`${what}: not a {Status, Result} envelope`);
  }
  const { Status: status, Result: result, Paging: paging } = envelope.data;
  if (httpStatus !== 200) {
    if (status !== QCC_STATUS.ok && status !== QCC_STATUS.noData) return { kind: 'error', error: qccStatusError(status, what, nowMs) };
    return invalid(`${what}: unexpected HTTP ${httpStatus} (Status ${status})`);
  }
  if (status === QCC_STATUS.noData) return { kind: 'no_data' };
  if (status !== QCC_STATUS.ok) return { kind: 'error', error: qccStatusError(status, what, nowMs) };
  return { kind: 'data', result, total: paging?.TotalRecords };
}

function invalid(message: string): Envelope {
  return { kind: 'error', error: { kind: 'invalid_response', message } };
}
