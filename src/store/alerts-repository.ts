/** Alerting state beside the outbox: disabled webhook targets, digests sent, escalations, re-drives. */
import { and, asc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { DigestRowsOutcome } from '../app/send-digest.js';
import type { Tier } from '../domain/events.js';
import { inWriteTransaction, type DatabaseHandle } from './database.js';
import { deliveryId } from './delivery-id.js';
import { recordTargetAttempt } from './delivery-targets.js';
import { deliveries, digests, events, meta, webhookTargets } from './schema.js';
import { storeCall } from './store-error.js';

export interface EscalationPolicy {
  tiers: readonly Tier[];
  /** Time without acknowledgement before each re-notification, in ms. */
  afterMs: number;
  maxTimes: number;
}

export interface AlertsRepository {
  disableWebhookTarget(name: string, reason: string, at: number): Promise<void>;
  /** Returns whether the target was disabled. */
  enableWebhookTarget(name: string): Promise<boolean>;
  disabledWebhookTargets(): Promise<Array<{ name: string; disabledAt: number; reason: string | null }>>;
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
  /** Unacknowledged events due for re-notification at `now` (epoch ms). */
  eventsToEscalate(now: number, policy: EscalationPolicy, limit: number): Promise<Array<{ id: string; escalationCount: number }>>;
  /**
   * Counts one escalation of an event and writes its deliveries (channel "escalation"), in one
   * transaction; a no-op when the count moved meanwhile (another worker escalated it).
   */
  recordEscalation(
    eventId: string,
    expectedCount: number,
    at: number,
    targets: ReadonlyArray<{ channel: string; target: string }>,
  ): Promise<string[]>;
  /** The customer's unacknowledged tiers (for grouping a lower-tier event into a higher one). */
  unacknowledgedTiers(customerId: number): Promise<Tier[]>;
  /**
   * Puts dead deliveries back to pending (all, or one event's); returns their ids and how many of
   * them are digest rows (those go out with the next digest, whose cut-off comes after `at`).
   */
  redriveDead(filter: { eventId?: string }, at: number): Promise<{ ids: string[]; digest: number }>;
}

export function createAlertsRepository(handle: DatabaseHandle): AlertsRepository {
  const { db } = handle;
  return {
    disableWebhookTarget: (name, reason, at) =>
      storeCall(`cannot disable webhook target ${name}`, () => {
        db.insert(webhookTargets)
          .values({ name, disabledAt: at, disabledReason: reason })
          .onConflictDoUpdate({ target: webhookTargets.name, set: { disabledAt: at, disabledReason: reason } })
          .run();
      }),

    enableWebhookTarget: (name) =>
      storeCall(`cannot enable webhook target ${name}`, () => db.delete(webhookTargets).where(eq(webhookTargets.name, name)).run().changes > 0),

    disabledWebhookTargets: () =>
      storeCall('cannot read webhook targets', () =>
        db
          .select()
          .from(webhookTargets)
          .all()
          .flatMap((row) => (row.disabledAt === null ? [] : [{ name: row.name, disabledAt: row.disabledAt, reason: row.disabledReason }])),
      ),

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

    eventsToEscalate: (now, policy, limit) =>
      storeCall('cannot read events to escalate', () =>
        policy.tiers.length === 0 || policy.maxTimes <= 0
          ? []
          : db
              .select({ id: events.id, escalationCount: events.escalationCount })
              .from(events)
              .where(
                and(
                  isNull(events.acknowledgedAt),
                  inArray(events.tier, [...policy.tiers]),
                  lt(events.escalationCount, policy.maxTimes),
                  or(
                    and(isNull(events.lastEscalatedAt), lt(events.detectedAt, now - policy.afterMs)),
                    lt(events.lastEscalatedAt, now - policy.afterMs),
                  ),
                ),
              )
              .orderBy(asc(events.detectedAt))
              .limit(limit)
              .all(),
      ),

    recordEscalation: (eventId, expectedCount, at, targets) =>
      storeCall(`cannot record the escalation of event ${eventId}`, () =>
        inWriteTransaction(handle, () => {
          const updated = db
            .update(events)
            .set({ escalationCount: expectedCount + 1, lastEscalatedAt: at })
            .where(and(eq(events.id, eventId), eq(events.escalationCount, expectedCount), isNull(events.acknowledgedAt)))
            .run();
          if (updated.changes === 0) return [];
          const ids: string[] = [];
          for (const { channel, target } of targets) {
            // The escalation round is part of the target, so each round is a delivery of its own.
            const roundTarget = `${target}#${expectedCount + 1}`;
            const id = deliveryId(eventId, channel, roundTarget);
            db.insert(deliveries)
              .values({ id, eventId, channel, target: roundTarget, status: 'pending', attempts: 0, nextAttemptAt: at, createdAt: at, updatedAt: at })
              .onConflictDoNothing()
              .run();
            ids.push(id);
          }
          return ids;
        }),
      ),

    unacknowledgedTiers: (customerId) =>
      storeCall(`cannot read unacknowledged events of customer ${customerId}`, () =>
        db
          .selectDistinct({ tier: events.tier })
          .from(events)
          .where(and(eq(events.customerId, customerId), isNull(events.acknowledgedAt)))
          .all()
          .map((row) => row.tier),
      ),

    redriveDead: (filter, at) =>
      storeCall('cannot re-drive dead deliveries', () =>
        inWriteTransaction(handle, () => {
          const where = and(eq(deliveries.status, 'dead'), filter.eventId === undefined ? undefined : eq(deliveries.eventId, filter.eventId));
          const rows = db.select({ id: deliveries.id, channel: deliveries.channel }).from(deliveries).where(where).all();
          // The retry window restarts: created_at is when the give-up clock starts. `attempts` is kept:
          // it names the next deliver job (delivery-<id>-<attempts>), and resetting it to 0 would reuse
          // the id of a job BullMQ still keeps as completed, so the re-drive would be a silent no-op.
          db.update(deliveries)
            .set({ status: 'pending', nextAttemptAt: at, createdAt: at, updatedAt: at, lastError: null })
            .where(where)
            .run();
          return { ids: rows.map((row) => row.id), digest: rows.filter((row) => row.channel === 'email_digest').length };
        }),
      ),
  };
}

function digestClaimKey(period: string): string {
  return `digest_claim:${period}`;
}

function digestCutoffKey(period: string): string {
  return `digest_cutoff:${period}`;
}
