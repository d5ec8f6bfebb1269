/**
 * Who may use the mock provider's control API, which rewrites what "the provider" says about every
 * company. A web page the operator visits can make the browser POST to 127.0.0.1 with a "simple"
 * request (a form's `text/plain`, no custom header, no preflight): the control API answers only to
 * a peer on loopback, that sends the server's token in `x-control-token` (a custom header, which no
 * cross-site request can carry without a preflight this server never grants, and which a DNS-rebound
 * page cannot know), and, on every request with a body, `content-type: application/json`.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The request header carrying the control token. */
export const CONTROL_TOKEN_HEADER = 'x-control-token';

export type ControlAccess = { ok: true } | { ok: false; status: 401 | 403 | 415; reason: string };

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped form. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** A JSON media type: `application/json`, with parameters (charset) or not. */
function isJsonContentType(value: string | undefined): boolean {
  return value?.split(';', 1)[0]?.trim().toLowerCase() === 'application/json';
}

function sameToken(sent: string | string[] | undefined, expected: string): boolean {
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Decides whether a control request may run; the refusal is one line for the `{ "error" }` answer. */
export function checkControlAccess(req: IncomingMessage, token: string): ControlAccess {
  if (!isLoopbackAddress(req.socket.remoteAddress)) {
    return { ok: false, status: 403, reason: 'the control API answers on loopback only' };
  }
  if (!sameToken(req.headers[CONTROL_TOKEN_HEADER], token)) {
    return { ok: false, status: 401, reason: `missing or wrong ${CONTROL_TOKEN_HEADER} header (the token the mock provider printed at start)` };
  }
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD' && !isJsonContentType(req.headers['content-type'])) {
    return { ok: false, status: 415, reason: 'send control requests as content-type: application/json' };
  }
  return { ok: true };
}
