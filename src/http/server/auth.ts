/**
 * Who is asking: a bearer token on `/api/*`, a signed session cookie in the console. Both end in a
 * token that is looked up on every request, so revoking a token ends its sessions at once.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import '@fastify/cookie';
import { verifyToken } from '../../app/api-tokens.js';
import type { TokensRepository } from '../../app/token-ports.js';
import { roleAllows, type Role } from '../../domain/api-tokens.js';

export interface Principal {
  tokenId: string;
  /** The token's name: the audit log's actor is `token:<name>`. */
  name: string;
  role: Role;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** The least role a route needs; routes without one are public (sign-in, health, assets). */
    role?: Role;
  }
}

export const SESSION_COOKIE = 'cm_session';
export const LOGIN_COOKIE = 'cm_login';

export interface AuthDeps {
  tokens: TokensRepository;
  clock(): number;
  /** Signs cookies and CSRF tokens; shared by every `serve` of one store. */
  sessionKey: Buffer;
}

export const actorOf = (principal: Principal): string => `token:${principal.name}`;

export async function principalFromBearer(deps: AuthDeps, header: string | undefined): Promise<Principal | undefined> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (match?.[1] === undefined) return undefined;
  const record = await verifyToken(match[1], { tokens: deps.tokens, clock: () => deps.clock() });
  return record === undefined ? undefined : { tokenId: record.id, name: record.name, role: record.role };
}

/** The session cookie's value (signed by @fastify/cookie): the token's id and when the session ends. */
export const sessionValue = (tokenId: string, expiresAt: number): string => `${tokenId}.${String(expiresAt)}`;

export async function principalFromSession(deps: AuthDeps, request: FastifyRequest): Promise<{ principal: Principal; session: string } | undefined> {
  const raw = request.cookies[SESSION_COOKIE];
  if (raw === undefined) return undefined;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid) return undefined;
  const [tokenId, expires] = unsigned.value.split('.');
  if (tokenId === undefined || expires === undefined || !(Number(expires) > deps.clock())) return undefined;
  const found = await deps.tokens.findForVerify(tokenId);
  if (found === undefined || found.record.revokedAt !== null) return undefined;
  return { principal: { tokenId, name: found.record.name, role: found.record.role }, session: unsigned.value };
}

const mac = (key: Buffer, purpose: string, value: string): string => createHmac('sha256', key).update(`${purpose}\n${value}`).digest('base64url');

/** The CSRF token of a session (or of a sign-in form's nonce): forms carry it, cookies alone cannot. */
export const csrfToken = (key: Buffer, purpose: 'session' | 'login', value: string): string => mac(key, `csrf-${purpose}`, value);

export function csrfMatches(key: Buffer, purpose: 'session' | 'login', value: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const expected = Buffer.from(csrfToken(key, purpose, value));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The CSRF token a console request carries: htmx sends it as a header, plain forms as `_csrf`. */
export function givenCsrf(request: FastifyRequest): unknown {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const body = request.body as Record<string, unknown> | undefined;
  return body?._csrf;
}

/** Whether the principal may use a route that needs `needed` (no `needed`: public). */
export function allowed(principal: Principal | undefined, needed: Role | undefined): boolean {
  return needed === undefined || (principal !== undefined && roleAllows(principal.role, needed));
}

export type Reply = FastifyReply;
