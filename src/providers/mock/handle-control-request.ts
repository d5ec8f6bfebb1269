import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { checkControlAccess } from './control-access.js';
import type { FaultInjector } from './fault-injector.js';
import { faultSpecSchema } from './fault-injector.js';
import { readRequestJson, sendEmpty, sendJson } from './http-io.js';
import type { MockStateStore } from './mock-state-store.js';
import type { RequestStats } from './request-stats.js';
import { AppError } from '../../errors.js';
import {
  describeZodError,
  mockCompanyPatchSchema,
  mockEntryPatchSchema,
  mockListEntrySchema,
  parseMockState,
  type MockState,
} from './state.js';
import { sectionFromPath, type MockListName } from './wire-paths.js';

export interface ControlApiContext {
  store: MockStateStore;
  faults: FaultInjector;
  stats: RequestStats;
  /** What a control request must send in `x-control-token` (see control-access.ts). */
  token: string;
  /** Logs each change (pino-compatible). */
  log: (change: string, details: Record<string, unknown>) => void;
}

/** Largest control request body (a whole state for PUT /_control/state), in bytes. */
const MAX_CONTROL_BODY_BYTES = 16 * 1024 * 1024;

type Reply = { status: number; body?: unknown };

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Serves the control API under `/_control/` (see docs/mock-provider.md): state, companies, list
 * entries, faults, stats and reset, to loopback peers with the token and a JSON body only (see
 * control-access.ts). Errors answer `{ "error": "<one line>" }`.
 */
export async function handleControlRequest(
  ctx: ControlApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  ctx.stats.control();
  const access = checkControlAccess(req, ctx.token);
  if (!access.ok) {
    // Unread: a refused request's body is not worth the memory.
    req.resume();
    sendJson(res, access.status, { error: access.reason });
    return;
  }
  let reply: Reply;
  try {
    const parts = url.pathname.split('/').slice(2).map(decodeSegment);
    const read = req.method === 'GET' || req.method === 'DELETE' ? undefined : await readRequestJson(req, MAX_CONTROL_BODY_BYTES);
    if (read !== undefined && !read.ok) throw new ControlError(400, read.reason);
    reply = route(ctx, req.method ?? 'GET', parts, read?.body);
  } catch (error) {
    if (!(error instanceof ControlError)) throw error;
    reply = { status: error.status, body: { error: error.message } };
  }
  if (reply.body === undefined) sendEmpty(res, reply.status);
  else sendJson(res, reply.status, reply.body);
}

function route(ctx: ControlApiContext, method: string, parts: string[], body: unknown): Reply {
  const [resource, ...rest] = parts;
  const key = `${method} ${resource ?? ''}/${rest.length}`;
  switch (key) {
    case 'GET state/0':
      return { status: 200, body: ctx.store.snapshot() };
    case 'PUT state/0':
      ctx.store.replace(parseState(body, 'state'));
      ctx.log('state replaced', {});
      return { status: 204 };
    case 'POST reset/0':
      ctx.store.reset();
      ctx.faults.clear();
      ctx.log('reset', {});
      return { status: 204 };
    case 'GET faults/0':
      return { status: 200, body: { faults: ctx.faults.list() } };
    case 'POST faults/0': {
      const fault = ctx.faults.add(validate(faultSpecSchema, body, 'fault'));
      ctx.log('fault added', { fault });
      return { status: 201, body: fault };
    }
    case 'DELETE faults/0':
      ctx.faults.clear();
      ctx.log('faults cleared', {});
      return { status: 204 };
    case 'DELETE faults/1':
      mustHold(ctx.faults.remove(rest[0] ?? ''), `fault ${rest[0] ?? ''}`);
      return { status: 204 };
    case 'GET stats/0':
      return { status: 200, body: ctx.stats.snapshot() };
    case 'POST stats/1':
      if (rest[0] !== 'reset') break;
      ctx.stats.reset();
      return { status: 204 };
    default:
      if (resource === 'companies') return companyRoute(ctx, method, rest, body);
  }
  throw new ControlError(404, `no control route ${method} /_control/${parts.join('/')}`);
}

function companyRoute(ctx: ControlApiContext, method: string, parts: string[], body: unknown): Reply {
  const [uscc = '', listSegment, id] = parts;
  const { store } = ctx;
  if (listSegment === undefined) {
    switch (method) {
      case 'GET':
        return { status: 200, body: found(store.company(uscc), `company ${uscc}`) };
      case 'PUT': {
        const [company] = parseState({ companies: [{ ...asObject(body), uscc }] }, 'company').companies;
        const isNew = store.put(found(company, 'company'));
        ctx.log(isNew ? 'company added' : 'company replaced', { uscc });
        return { status: isNew ? 201 : 200, body: store.company(uscc) };
      }
      case 'PATCH': {
        const patch = validate(mockCompanyPatchSchema, body, 'company patch');
        const company = found(store.patch(uscc, stripUndefined(patch)), `company ${uscc}`);
        ctx.log('company changed', { uscc, fields: Object.keys(patch) });
        return { status: 200, body: company };
      }
      case 'DELETE':
        mustHold(store.delete(uscc), `company ${uscc}`);
        ctx.log('company deleted', { uscc });
        return { status: 204 };
      default:
        throw new ControlError(405, `${method} not allowed on a company`);
    }
  }
  const list = listName(listSegment);
  if (id === undefined && method === 'POST') {
    const draft = validate(mockListEntrySchema, body, 'entry');
    const entry = store.addEntry(uscc, list, stripUndefined(draft));
    if (entry === 'no_company') throw new ControlError(404, `company ${uscc} not found`);
    if (entry === 'duplicate') throw new ControlError(409, `entry ${draft.id ?? ''} already exists`);
    ctx.log('entry added', { uscc, list, id: entry.id });
    return { status: 201, body: entry };
  }
  if (id !== undefined && method === 'PATCH') {
    const patch = validate(mockEntryPatchSchema, body, 'entry patch');
    const entry = found(store.patchEntry(uscc, list, id, stripUndefined(patch)), `entry ${id} of ${uscc}`);
    ctx.log('entry changed', { uscc, list, id, fields: Object.keys(patch) });
    return { status: 200, body: entry };
  }
  if (id !== undefined && method === 'DELETE') {
    mustHold(store.deleteEntry(uscc, list, id), `entry ${id} of ${uscc}`);
    ctx.log('entry deleted', { uscc, list, id });
    return { status: 204 };
  }
  throw new ControlError(405, `${method} not allowed here`);
}

function listName(segment: string): MockListName {
  const section = sectionFromPath(segment);
  // Annual reports are not entries: PATCH the company with `annualReports` to change them.
  if (section === 'registration' || section === 'annualReports' || section === undefined) {
    throw new ControlError(404, `unknown list ${segment}`);
  }
  return section;
}

/** The state schema plus id assignment; the file loader's one-line message becomes a 400. */
function parseState(body: unknown, what: string): MockState {
  try {
    return parseMockState(body, what);
  } catch (error) {
    if (error instanceof AppError) throw new ControlError(400, `invalid ${error.message}`);
    throw error;
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ControlError(400, 'malformed path');
  }
}

function validate<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ControlError(400, `invalid ${what}: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new ControlError(404, `${what} not found`);
  return value;
}

function mustHold(done: boolean, what: string): void {
  if (!done) throw new ControlError(404, `${what} not found`);
}

function asObject(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** JSON has no undefined, but zod's optional fields are typed so; this keeps exact optional types honest. */
function stripUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}
