/**
 * The daily digest on PostgreSQL (see `../digests-repository.ts`): the same rows in meta, digests
 * and deliveries. The claim of a period is a lease taken by one conditional upsert, so of several
 * workers claiming at once exactly one wins, whatever host it runs on.
 */
import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import { digestClaimKey, digestCutoffKey, type DigestsRepository } from '../digests-repository.js';
import { deliveries, digests, meta } from '../schema.pg.js';
import { anyOf } from './any-of.js';
import { inPgTransaction, type PgExecutor, type PgHandle } from './database.js';
import { recordTargetAttempt } from './delivery-targets.js';
import { pgCall } from './pg-error.js';

/** Creates the PostgreSQL implementation of {@link DigestsRepository}. */
export function createPgDigestsRepository(handle: PgHandle): DigestsRepository {
  const { db } = handle;
  return {
    digestSent: (period) => pgCall(`cannot read digest ${period}`, () => isSent(db, period)),

    pendingDigest: (before, limit) =>
      pgCall('cannot read pending digest deliveries', () =>
        db
          .select({ id: deliveries.id, eventId: deliveries.eventId, target: deliveries.target })
          .from(deliveries)
          .where(and(eq(deliveries.channel, 'email_digest'), eq(deliveries.status, 'pending'), lt(deliveries.createdAt, before)))
          .orderBy(asc(deliveries.createdAt), asc(deliveries.id))
          .limit(limit),
      ),

    claimDigest: (period, at, leaseMs, cutoff) =>
      pgCall(`cannot claim digest ${period}`, () =>
        inPgTransaction(handle, async (tx) => {
          if (await isSent(tx, period)) return undefined;
          // Takes the claim when there is none or its lease ran out. A claimer that meets another's
          // uncommitted claim waits for it, then re-checks the lease against that claim and loses.
          const claimed = await tx
            .insert(meta)
            .values({ key: digestClaimKey(period), value: String(at) })
            .onConflictDoUpdate({
              target: meta.key,
              set: { value: String(at) },
              setWhere: sql`${at}::bigint - ${meta.value}::bigint >= ${leaseMs}::bigint`,
            })
            .returning({ key: meta.key });
          if (claimed.length === 0) return undefined;
          const cutoffKey = digestCutoffKey(period);
          await tx.insert(meta).values({ key: cutoffKey, value: String(cutoff) }).onConflictDoNothing();
          const [stored] = await tx.select({ value: meta.value }).from(meta).where(eq(meta.key, cutoffKey));
          return { cutoff: stored === undefined ? cutoff : Number(stored.value) };
        }),
      ),

    releaseDigestClaim: (period) =>
      pgCall(`cannot release digest claim ${period}`, async () => {
        await db.delete(meta).where(eq(meta.key, digestClaimKey(period)));
      }),

    recordDigestRows: (recipient, ids, outcome, at) =>
      pgCall('cannot record digest deliveries', () =>
        inPgTransaction(handle, async (tx) => {
          const set =
            outcome.kind === 'sent'
              ? { status: 'sent' as const, sentAt: at, nextAttemptAt: null, lastError: null }
              : outcome.dead
                ? { status: 'dead' as const, nextAttemptAt: null, lastError: outcome.error }
                : { lastError: outcome.error };
          await tx
            .update(deliveries)
            .set({ ...set, updatedAt: at, attempts: sql`${deliveries.attempts} + 1` })
            .where(and(anyOf(deliveries.id, ids, 'text'), eq(deliveries.status, 'pending')));
          await recordTargetAttempt(tx, 'email_digest', recipient, outcome.kind === 'sent' ? { ok: true } : { ok: false, error: outcome.error }, at);
        }),
      ),

    recordDigest: (period, at, eventCount) =>
      pgCall(`cannot record digest ${period}`, () =>
        inPgTransaction(handle, async (tx) => {
          const inserted = await tx.insert(digests).values({ period, sentAt: at, eventCount }).onConflictDoNothing().returning({ period: digests.period });
          if (inserted.length === 0) return false;
          await tx.delete(meta).where(inArray(meta.key, [digestClaimKey(period), digestCutoffKey(period)]));
          return true;
        }),
      ),
  };
}

async function isSent(executor: PgExecutor, period: string): Promise<boolean> {
  const rows = await executor.select({ period: digests.period }).from(digests).where(eq(digests.period, period));
  return rows.length > 0;
}
