import type { z } from 'zod';
import type { ProviderError, RawListEntry, RawRegistration, SectionResult } from '../../domain/sections.js';
import { normaliseUsccInput } from '../../domain/uscc.js';
import type { PageResult } from '../fetch-all-pages.js';
import { QCC_STATUS, qccStatusError } from './qichacha-codes.js';
import { qccBaseInfoSchema, qccCheckResultSchema, qccEnvelopeSchema, qccListItemSchema, type QccListItem } from './qichacha-schema.js';

/** An answer read down to its business meaning. `total` is `Paging.TotalRecords` when sent. */
export type QccAnswer =
  | { kind: 'ok'; result: unknown; total: number | undefined }
  | { kind: 'no_data' }
  | { kind: 'error'; error: ProviderError };

/**
 * Reads the `{Status, Message, OrderNumber, Paging?, Result}` envelope of a parsed JSON body. Only an
 * HTTP 200 carries data or "no data"; a non-200 body with a real error Status maps like a 200.
 * `nowMs` dates the advised waits of the daily caps.
 */
export function readQccEnvelope(httpStatus: number, body: unknown, what: string, nowMs: number): QccAnswer {
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
  return { kind: 'ok', result, total: paging?.TotalRecords };
}

/**
 * The registration section from `ECIV4/GetBasicDetailsByName` (a plain object) or a verify endpoint
 * (`{VerifyResult, Data}`). 201, and 200 with `VerifyResult: 0`, are the explicit "no such company".
 * The answer must name the credit code asked for; one without a code cannot be told from another
 * company's, so it fails too.
 */
export function parseQccRegistration(answer: QccAnswer, uscc: string, what: string): SectionResult<RawRegistration> {
  if (answer.kind === 'error') return { ok: false, error: answer.error };
  const notFound = { ok: false as const, error: { kind: 'not_found' as const, message: `${what}: no such company` } };
  if (answer.kind === 'no_data') return notFound;
  let info: unknown = answer.result;
  if (isObject(info) && 'VerifyResult' in info) {
    if (Number(info.VerifyResult) === 0) return notFound;
    info = info.Data;
  }
  const parsed = qccBaseInfoSchema.safeParse(info);
  if (!parsed.success) return invalidSection(`${what}: unexpected base info, ${firstIssue(parsed.error)}`);
  const data = parsed.data;
  const code = data.CreditCode?.trim() ?? '';
  if (code === '') return invalidSection(`${what}: base info carries no CreditCode, cannot confirm the company`);
  if (normaliseUsccInput(code) !== normaliseUsccInput(uscc)) return invalidSection(`${what}: foreign body, answer is for ${code}`);
  return {
    ok: true,
    value: {
      creditCode: code,
      name: data.Name,
      statusText: data.Status,
      legalRepresentative: data.OperName,
      registeredCapitalText: data.RegistCapi,
      address: data.Address,
      businessScope: data.Scope,
      establishedOn: data.StartDate,
    },
  };
}

/**
 * One page of a `*Check/GetList` answer: `{VerifyResult, Data}` (Data null when there is nothing), or
 * the legacy bare array. Without `Paging` the page is the whole list (the Check lists are
 * documented as unpaged; we still ask for pages in case they are).
 */
export function parseQccListPage(answer: QccAnswer, what: string): PageResult<QccListItem> {
  return parseQccPage(answer, qccListItemSchema, qccCheckResultSchema, what);
}

/** `parseQccListPage` for any entry schema (the optional sections' entries differ in shape). */
export function parseQccPage<T>(
  answer: QccAnswer,
  itemSchema: z.ZodType<T>,
  checkSchema: z.ZodType<{ VerifyResult?: number | undefined; Data?: T[] | null | undefined }>,
  what: string,
): PageResult<T> {
  if (answer.kind === 'error') return { ok: false, error: answer.error };
  if (answer.kind === 'no_data') return { ok: true, page: { total: 0, items: [] } };
  const { result } = answer;
  let items: T[];
  if (Array.isArray(result)) {
    const parsed = itemSchema.array().safeParse(result);
    if (!parsed.success) return invalidSection(`${what}: unexpected list, ${firstIssue(parsed.error)}`);
    items = parsed.data;
  } else {
    const parsed = checkSchema.safeParse(result);
    if (!parsed.success) return invalidSection(`${what}: unexpected list, ${firstIssue(parsed.error)}`);
    const { VerifyResult: verify, Data: data } = parsed.data;
    if (verify === 0) return { ok: true, page: { total: 0, items: [] } };
    // "Data exists" with no data is a contradiction, not an empty list.
    if (data === null || data === undefined) return invalidSection(`${what}: VerifyResult ${String(verify)} without Data`);
    items = data;
  }
  return { ok: true, page: { total: answer.total ?? items.length, items } };
}

/** A wire entry as the domain takes it; both spellings of the removal reason are read. */
export function toRawEntry(item: QccListItem): RawListEntry {
  return {
    recordId: null,
    listedOn: item.AddDate,
    reason: item.AddReason,
    authority: firstGiven(item.DecisionOffice, item.AddOffice),
    removedOn: item.RemoveDate,
    removalReason: firstGiven(item.RomoveReason, item.RemoveReason),
  };
}

function firstGiven(a: string | null, b: string | null): string | null {
  if (a !== null && a.trim() !== '') return a;
  return b ?? a;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string): Extract<QccAnswer, { kind: 'error' }> {
  return { kind: 'error', error: { kind: 'invalid_response', message } };
}

function invalidSection(message: string): { ok: false; error: ProviderError } {
  return { ok: false, error: { kind: 'invalid_response', message } };
}

/** First zod issue, one line; kept here so that the two adapters stay independent. */
function firstIssue(error: z.ZodError): string {
  const [issue] = error.issues;
  if (issue === undefined) return 'invalid';
  const path = issue.path.map(String).join('.');
  return `${path === '' ? '(root)' : path}: ${issue.message}`;
}
