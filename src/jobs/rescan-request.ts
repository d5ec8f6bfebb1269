import { z } from 'zod';
import type { RecordedRescan, RescanScope } from '../app/request-rescan.js';
import { parseUscc } from '../domain/uscc.js';
import { JOB, jobId } from './queue-names.js';

export type RescanRequest = RescanScope;

/**
 * `requestId` is not part of what other clients send: the CLI adds it to name the request it recorded
 * in the store (DESIGN "Manual re-scans are durable"). A job without it is honoured as before.
 */
const requestId = z.number().int().positive().optional();
const schema = z.union([
  z.strictObject({ uscc: z.string(), requestId }),
  z.strictObject({ all: z.literal(true), requestId }),
  z.strictObject({ tag: z.string().min(1).max(100), requestId }),
]);

export type ParsedRescan = { ok: true; request: RescanRequest; requestId?: number } | { ok: false; reason: string };

/** Parses the public `rescan` job data; the error is one line naming what is wrong. */
export function parseRescanRequest(data: unknown): ParsedRescan {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    return { ok: false, reason: `rescan data must be {"uscc": "<code>"}, {"all": true} or {"tag": "<tag>"}, got ${describe(data)}` };
  }
  const value = parsed.data;
  const recorded = value.requestId === undefined ? {} : { requestId: value.requestId };
  if ('uscc' in value) {
    const uscc = parseUscc(value.uscc);
    // A check-digit mismatch may be a genuine pilot code already in the register: let the lookup decide.
    if (!uscc.ok && uscc.fault !== 'check_digit') return { ok: false, reason: `rescan uscc ${JSON.stringify(value.uscc)}: ${uscc.reason}` };
    return { ok: true, request: { kind: 'uscc', uscc: uscc.uscc }, ...recorded };
  }
  if ('all' in value) return { ok: true, request: { kind: 'all' }, ...recorded };
  return { ok: true, request: { kind: 'tag', tag: value.tag }, ...recorded };
}

/**
 * The public `rescan` job for a request recorded in the store. Its id comes from the request, so the
 * CLI's add and the worker's rebuild after a Redis loss (or two workers rebuilding) add it once.
 */
export function recordedRescanJob(request: RecordedRescan): { name: string; data: Record<string, unknown>; opts: { jobId: string } } {
  const { scope } = request;
  const data = scope.kind === 'uscc' ? { uscc: scope.uscc } : scope.kind === 'tag' ? { tag: scope.tag } : { all: true };
  // The request time too: a fresh store's request 1 must not meet a job kept from another store's.
  return { name: JOB.rescan, data: { ...data, requestId: request.id }, opts: { jobId: jobId('rescan-request', request.id, request.requestedAt) } };
}

function describe(data: unknown): string {
  // JSON.stringify returns undefined for undefined and functions, despite its declared type.
  const text = JSON.stringify(data) as string | undefined;
  return (text ?? String(data)).slice(0, 200);
}
