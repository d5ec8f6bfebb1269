/**
 * The daily digest: periods sent (table digests), the claim and cut-off of the period being sent
 * (rows in meta), and the digest rows of the outbox (deliveries on channel email_digest).
 */
import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { DigestRowsOutcome } from '../app/send-digest.js';
import { inWriteTransaction, type DatabaseHandle } from './database.js';
import { recordTargetAttempt } from './delivery-targets.js';
import { deliveries, digests, meta } from './schema.js';
import { storeCall } from './store-error.js';

export interface DigestsRepository {
  /** Whether the digest of `period` (YYYY-MM-DD) was sent already. */
  digestSent(period: string): Promise<boolean>;
  /** Pending digest deliveries created before `before` (epoch ms), oldest first. */
  pendingDigest(before: number, limit: number): Promise<Array<{ id: string; eventId: string; target: string }>>;
  /**
   * Claims the sending of `period`'s digest for `leaseMs` (so two runs at the same moment send it
   * once); undefined when it was sent already or another run holds a live claim. A crashed run's
   * claim expires with its lease. The first claim stores `cutoff` (epoch ms) as the period's cut-off
   * and every later claim of the period returns that stored one.
   */
  claimDigest(period: string, at: number, leaseMs: number, cutoff: number): Promise<{ cutoff: number } | undefined>;
  /** Gives a claim back after a failed send, so the retry need not wait for the lease. */
  releaseDigestClaim(period: string): Promise<void>;
  /**
   * Records one recipient's digest send for its rows, in one transaction, counting the attempt:
   * sent, dead, or still pending with the error. Rows no longer pending are left alone.
   */
  recordDigestRows(recipient: string, ids: readonly string[], outcome: DigestRowsOutcome, at: number): Promise<void>;
  /**
   * Records the digest of `period` as done (its rows were recorded one recipient at a time).
   * Returns false (and changes nothing) when another process recorded it first.
   */
  recordDigest(period: string, at: number, eventCount: number): Promise<boolean>;
}

export function createDigestsRepository(handle: DatabaseHandle): DigestsRepository {
  const { db } = handle;
  return {
    digestSent: (period) =>
      storeCall(`cannot read digest ${period}`, () => db.select().from(digests).where(eq(digests.period, period)).get() !== undefined),

    pendingDigest: (before, limit) =>
      storeCall('cannot read pending digest deliveries', () =>
        db
          .select({ id: deliveries.id, eventId: deliveries.eventId, target: deliveries.target })
          .from(deliveries)
          .where(and(eq(deliveries.channel, 'email_digest'), eq(deliveries.status, 'pending'), lt(deliveries.createdAt, before)))
          .orderBy(asc(deliveries.createdAt), asc(deliveries.id))
          .limit(limit)
          .all(),
      ),

    claimDigest: (period, at, leaseMs, cutoff) =>
      storeCall(`cannot claim digest ${period}`, () =>
        inWriteTransaction(handle, () => {
          if (db.select().from(digests).where(eq(digests.period, period)).get() !== undefined) return undefined;
          const key = digestClaimKey(period);
          const claim = db.select().from(meta).where(eq(meta.key, key)).get();
          if (claim !== undefined && at - Number(claim.value) < leaseMs) return undefined;
          db.insert(meta).values({ key, value: String(at) }).onConflictDoUpdate({ target: meta.key, set: { value: String(at) } }).run();
          db.insert(meta).values({ key: digestCutoffKey(period), value: String(cutoff) }).onConflictDoNothing().run();
          const stored = db.select().from(meta).where(eq(meta.key, digestCutoffKey(period))).get();
          return { cutoff: stored === undefined ? cutoff : Number(stored.value) };
        }),
      ),

    releaseDigestClaim: (period) =>
      storeCall(`cannot release digest claim ${period}`, () => {
        db.delete(meta).where(eq(meta.key, digestClaimKey(period))).run();
      }),

    recordDigestRows: (recipient, ids, outcome, at) =>
      storeCall('cannot record digest deliveries', () => {
        inWriteTransaction(handle, () => {
          const set =
            outcome.kind === 'sent'
              ? { status: 'sent' as const, sentAt: at, nextAttemptAt: null, lastError: null }
              : outcome.dead
                ? { status: 'dead' as const, nextAttemptAt: null, lastError: outcome.error }
                : { lastError: outcome.error };
          for (let start = 0; start < ids.length; start += 500) {
            db.update(deliveries)
              .set({ ...set, updatedAt: at, attempts: sql`${deliveries.attempts} + 1` })
              .where(and(inArray(deliveries.id, ids.slice(start, start + 500)), eq(deliveries.status, 'pending')))
              .run();
          }
          recordTargetAttempt(handle, 'email_digest', recipient, outcome.kind === 'sent' ? { ok: true } : { ok: false, error: outcome.error }, at);
        });
      }),

    recordDigest: (period, at, eventCount) =>
      storeCall(`cannot record digest ${period}`, () =>
        inWriteTransaction(handle, () => {
          const inserted = db.insert(digests).values({ period, sentAt: at, eventCount }).onConflictDoNothing().run();
          if (inserted.changes === 0) return false;
          db.delete(meta).where(inArray(meta.key, [digestClaimKey(period), digestCutoffKey(period)])).run();
          return true;
        }),
      ),
  };
}

/** The meta key of a period's claim (its value: the claim's time, epoch ms). */
export function digestClaimKey(period: string): string {
  return `digest_claim:${period}`;
}

/** The meta key of a period's cut-off (epoch ms), fixed by its first claim. */
export function digestCutoffKey(period: string): string {
  return `digest_cutoff:${period}`;
}
