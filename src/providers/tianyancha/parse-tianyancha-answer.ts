import type { z } from 'zod';
import type { ProviderError, RawListEntry, RawRegistration, SectionResult } from '../../domain/sections.js';
import { normaliseUsccInput } from '../../domain/uscc.js';
import type { PageResult } from '../fetch-all-pages.js';
import { TYC_CODES, tycCodeError } from './tianyancha-codes.js';
import { tycBaseInfoSchema, tycEnvelopeSchema, tycListPageSchema, type TycListItem } from './tianyancha-schema.js';

/** An answer read down to its business meaning: data, the explicit "no data", or a typed error. */
export type TycAnswer = { kind: 'ok'; result: unknown } | { kind: 'no_data' } | { kind: 'error'; error: ProviderError };

/**
 * Reads the `{error_code, reason, result}` envelope of a parsed JSON body. Only an HTTP 200 carries
 * data or "no data": a 404 from a wrong base URL must never read as "no such company". A non-200
 * body that names a real error code (some gateways answer 4xx with the envelope) maps like a 200.
 */
export function readTycEnvelope(httpStatus: number, body: unknown, what: string): TycAnswer {
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
  return { kind: 'ok', result };
}

/**
 * The registration section from a base-info answer. 300000 is the provider's explicit "no such
 * company". The answer must name the credit code asked for: one without a code cannot be told from
 * another company's, so it fails too (a foreign body must never be diffed against this customer).
 */
export function parseTycRegistration(answer: TycAnswer, uscc: string, what: string): SectionResult<RawRegistration> {
  if (answer.kind === 'error') return { ok: false, error: answer.error };
  if (answer.kind === 'no_data') return { ok: false, error: { kind: 'not_found', message: `${what}: no such company (error_code 300000)` } };
  const parsed = tycBaseInfoSchema.safeParse(answer.result);
  if (!parsed.success) return invalidSection(`${what}: unexpected base info, ${firstIssue(parsed.error)}`);
  const info = parsed.data;
  const code = info.creditCode?.trim() ?? '';
  if (code === '') return invalidSection(`${what}: base info carries no creditCode, cannot confirm the company`);
  if (normaliseUsccInput(code) !== normaliseUsccInput(uscc)) {
    return invalidSection(`${what}: foreign body, answer is for ${code}`);
  }
  return {
    ok: true,
    value: {
      creditCode: code,
      name: info.name,
      statusText: info.regStatus,
      legalRepresentative: info.legalPersonName,
      registeredCapitalText: info.regCapital,
      address: info.regLocation,
      businessScope: info.businessScope,
      establishedOn: info.estiblishTime ?? info.registrationDate,
    },
  };
}

/** One page of a list endpoint; 300000 is an empty list. */
export function parseTycListPage(answer: TycAnswer, what: string): PageResult<TycListItem> {
  if (answer.kind === 'error') return { ok: false, error: answer.error };
  if (answer.kind === 'no_data') return { ok: true, page: { total: 0, items: [] } };
  const parsed = tycListPageSchema.safeParse(answer.result);
  if (!parsed.success) return invalidSection(`${what}: unexpected list page, ${firstIssue(parsed.error)}`);
  const items = parsed.data.items ?? [];
  // `count` is the legacy v3 name of `total`; with neither, the page is the whole list.
  return { ok: true, page: { total: parsed.data.total ?? parsed.data.count ?? items.length, items } };
}

/** A wire entry as the domain takes it: dates as sent, no record id (see the schema's `id`). */
export function toRawEntry(item: TycListItem): RawListEntry {
  return {
    recordId: null,
    listedOn: item.putDate,
    reason: item.putReason,
    authority: item.putDepartment,
    removedOn: item.removeDate,
    removalReason: item.removeReason,
  };
}

function invalid(message: string): Extract<TycAnswer, { kind: 'error' }> {
  return { kind: 'error', error: { kind: 'invalid_response', message } };
}

function invalidSection(message: string): { ok: false; error: ProviderError } {
  return { ok: false, error: { kind: 'invalid_response', message } };
}

/** "items.0.putDate: Invalid input", one line. */
export function firstIssue(error: z.ZodError): string {
  const [issue] = error.issues;
  if (issue === undefined) return 'invalid';
  const path = issue.path.map(String).join('.');
  return `${path === '' ? '(root)' : path}: ${issue.message}`;
}
