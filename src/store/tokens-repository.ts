/** API tokens (table api_tokens): their records and secret hashes, never a secret. */
import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import type { TokensRepository } from '../app/token-ports.js';
import type { ApiTokenRecord } from '../domain/api-tokens.js';
import { AppError } from '../errors.js';
import type { DatabaseHandle } from './database.js';
import { apiTokens } from './schema.js';
import { storeCall } from './store-error.js';

/** The unique index that keeps one token per name among those not revoked (both dialects). */
export const ACTIVE_NAME_INDEX = 'api_tokens_active_name_idx';

type TokenRow = typeof apiTokens.$inferSelect;

export function toApiTokenRecord(row: TokenRow): ApiTokenRecord {
  return { id: row.id, name: row.name, role: row.role, createdAt: row.createdAt, lastUsedAt: row.lastUsedAt, revokedAt: row.revokedAt };
}

export function nameTaken(name: string, cause: unknown): AppError {
  return new AppError('CONFLICT', `a token named ${JSON.stringify(name)} exists and is not revoked`, { cause });
}

export function createTokensRepository(handle: DatabaseHandle): TokensRepository {
  const { db } = handle;
  return {
    create: ({ id, name, role, secretHash, at }) =>
      storeCall(`cannot create token ${name}`, () => {
        try {
          return toApiTokenRecord(db.insert(apiTokens).values({ id, name, role, secretHash, createdAt: at }).returning().get());
        } catch (error) {
          // The partial unique index decides, so two concurrent creates cannot both win.
          if (isActiveNameClash(error)) throw nameTaken(name, error);
          throw error;
        }
      }),

    findForVerify: (id) =>
      storeCall('cannot read tokens', () => {
        const row = db.select().from(apiTokens).where(eq(apiTokens.id, id)).get();
        return row === undefined ? undefined : { record: toApiTokenRecord(row), secretHash: row.secretHash };
      }),

    list: () =>
      storeCall('cannot read tokens', () => db.select().from(apiTokens).orderBy(desc(apiTokens.createdAt), desc(apiTokens.id)).all().map(toApiTokenRecord)),

    revoke: (name, at) =>
      storeCall(`cannot revoke token ${name}`, () => {
        const [row] = db
          .update(apiTokens)
          .set({ revokedAt: at })
          .where(and(eq(apiTokens.name, name), isNull(apiTokens.revokedAt)))
          .returning()
          .all();
        return row === undefined ? undefined : toApiTokenRecord(row);
      }),

    touch: (id, at) =>
      storeCall('cannot note a token use', () => {
        // Only forwards: a slower request that verified earlier must not move it back.
        db.update(apiTokens)
          .set({ lastUsedAt: at })
          .where(and(eq(apiTokens.id, id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, at))))
          .run();
      }),
  };
}

/** better-sqlite3 names a unique index's columns, not the index: `UNIQUE constraint failed: api_tokens.name`. */
function isActiveNameClash(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if ('code' in e && e.code === 'SQLITE_CONSTRAINT_UNIQUE' && e.message.includes('api_tokens.name')) return true;
  }
  return false;
}
