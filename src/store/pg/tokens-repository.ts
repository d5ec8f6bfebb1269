/** API tokens on PostgreSQL: the same interface and behaviour as the SQLite repository. */
import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import type { TokensRepository } from '../../app/token-ports.js';
import { apiTokens } from '../schema.pg.js';
import { ACTIVE_NAME_INDEX, nameTaken, toApiTokenRecord } from '../tokens-repository.js';
import type { PgHandle } from './database.js';
import { pgCall } from './pg-error.js';

export function createPgTokensRepository(handle: PgHandle): TokensRepository {
  const { db } = handle;
  return {
    create: ({ id, name, role, secretHash, at }) =>
      pgCall(`cannot create token ${name}`, async () => {
        try {
          const [row] = await db.insert(apiTokens).values({ id, name, role, secretHash, createdAt: at }).returning();
          if (row === undefined) throw new Error('INSERT … RETURNING gave no row');
          return toApiTokenRecord(row);
        } catch (error) {
          // The partial unique index decides, so two concurrent creates cannot both win.
          if (isActiveNameClash(error)) throw nameTaken(name, error);
          throw error;
        }
      }),

    findForVerify: (id) =>
      pgCall('cannot read tokens', async () => {
        const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, id));
        return row === undefined ? undefined : { record: toApiTokenRecord(row), secretHash: row.secretHash };
      }),

    list: () =>
      pgCall('cannot read tokens', async () => (await db.select().from(apiTokens).orderBy(desc(apiTokens.createdAt), desc(apiTokens.id))).map(toApiTokenRecord)),

    revoke: (name, at) =>
      pgCall(`cannot revoke token ${name}`, async () => {
        const [row] = await db
          .update(apiTokens)
          .set({ revokedAt: at })
          .where(and(eq(apiTokens.name, name), isNull(apiTokens.revokedAt)))
          .returning();
        return row === undefined ? undefined : toApiTokenRecord(row);
      }),

    touch: (id, at) =>
      pgCall('cannot note a token use', async () => {
        // Only forwards: a slower request that verified earlier must not move it back.
        await db
          .update(apiTokens)
          .set({ lastUsedAt: at })
          .where(and(eq(apiTokens.id, id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, at))));
      }),
  };
}

/** unique_violation (23505) on the active-name index; drizzle wraps pg's error in its own. */
function isActiveNameClash(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if ('code' in e && e.code === '23505' && 'constraint' in e && e.constraint === ACTIVE_NAME_INDEX) return true;
  }
  return false;
}
