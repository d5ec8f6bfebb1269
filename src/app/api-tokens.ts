/**
 * Issuing and checking API tokens. A token is `cm_<id>_<secret>`: the id (16 hex digits) finds the
 * row, the secret (32 random bytes, base64url) proves it. Only SHA-256 of the secret's text is stored.
 */
import { createHash, randomBytes as cryptoRandomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiTokenRecord, Role } from '../domain/api-tokens.js';
import { AppError } from '../errors.js';
import type { TokensRepository } from './token-ports.js';

export interface IssueTokenDeps {
  tokens: TokensRepository;
  /** Epoch ms now. */
  clock: () => number;
  /** Default node:crypto's randomBytes. */
  randomBytes?: (size: number) => Buffer;
}

export interface VerifyTokenDeps {
  tokens: TokensRepository;
  /** Epoch ms now. */
  clock: () => number;
}

const NAME = /^[A-Za-z0-9._-]{1,64}$/;
// 32 bytes are 43 base64url characters (no padding); `_` may occur in the secret, the id's length splits it.
const TOKEN = /^cm_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
/** A use is noted at most this often per token, so that reads do not become writes. */
export const TOUCH_INTERVAL_MS = 60_000;

/** @throws AppError `USAGE` unless `name` is 1–64 ASCII letters, digits, `.`, `_` or `-`. */
export function checkTokenName(name: string): void {
  if (!NAME.test(name)) throw new AppError('USAGE', `token name ${JSON.stringify(name)}: expected 1 to 64 letters, digits, ".", "_" or "-"`);
}

/** A token as the CLI's `--json` (and the API) shows it: times in ISO 8601, never the secret or its hash. */
export interface ApiTokenView {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function toApiTokenView(record: ApiTokenRecord): ApiTokenView {
  const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
  return { id: record.id, name: record.name, role: record.role, createdAt: new Date(record.createdAt).toISOString(), lastUsedAt: iso(record.lastUsedAt), revokedAt: iso(record.revokedAt) };
}

/**
 * Makes a token and stores its record and hash; the token itself is returned only here.
 * @throws AppError `USAGE` for a bad name, `CONFLICT` when a token that is not revoked has it.
 */
export async function issueToken(name: string, role: Role, deps: IssueTokenDeps): Promise<{ token: string; record: ApiTokenRecord }> {
  checkTokenName(name);
  const random = deps.randomBytes ?? cryptoRandomBytes;
  const id = random(8).toString('hex');
  const secret = random(32).toString('base64url');
  const record = await deps.tokens.create({ id, name, role, secretHash: sha256Hex(secret), at: deps.clock() });
  return { token: `cm_${id}_${secret}`, record };
}

/**
 * The token's record when `token` is one of ours, well formed, with the right secret and not
 * revoked; otherwise undefined (never throws for bad input; store failures do throw). Notes the
 * use when the last one noted is a minute old or more.
 */
export async function verifyToken(token: string, deps: VerifyTokenDeps): Promise<ApiTokenRecord | undefined> {
  const match = TOKEN.exec(token);
  if (match === null) return undefined;
  const [, id = '', secret = ''] = match;
  const found = await deps.tokens.findForVerify(id);
  if (found === undefined) return undefined;
  const given = Buffer.from(sha256Hex(secret), 'hex');
  const stored = Buffer.from(found.secretHash, 'hex');
  // Both are 32 bytes unless the stored hash is damaged; timingSafeEqual throws on unequal lengths.
  if (stored.length !== given.length || !timingSafeEqual(given, stored)) return undefined;
  if (found.record.revokedAt !== null) return undefined;
  const now = deps.clock();
  const last = found.record.lastUsedAt;
  if (last === null || now - last >= TOUCH_INTERVAL_MS) {
    await deps.tokens.touch(id, now);
    return { ...found.record, lastUsedAt: now };
  }
  return found.record;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
