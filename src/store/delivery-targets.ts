/** The latest delivery outcome per channel and target: what `status` reports as failing now. */
import { asc, gt, sql } from 'drizzle-orm';
import type { DatabaseHandle } from './database.js';
import { deliveryTargets } from './schema.js';
import { storeCall } from './store-error.js';

/** A channel and target whose latest delivery attempt failed. */
export interface FailingTarget {
  channel: string;
  target: string;
  /** Epoch ms of the first failed attempt in the current run of failures. */
  failingSince: number;
  /** Failed attempts since the last success (or ever). */
  failedAttempts: number;
  lastError: string | null;
  /** Epoch ms. */
  lastAttemptAt: number;
}

/**
 * The target as the operator knows it: an escalation row's target carries its round ("#2"), which
 * is not part of the recipient's address.
 */
export function healthTarget(channel: string, target: string): string {
  return channel === 'escalation' ? target.replace(/#\d+$/, '') : target;
}

/**
 * Records one attempt's outcome for (channel, target). Call inside the transaction that records the
 * delivery's own outcome, so both agree.
 */
export function recordTargetAttempt(
  handle: DatabaseHandle,
  channel: string,
  target: string,
  outcome: { ok: true } | { ok: false; error: string },
  at: number,
): void {
  const key = { channel, target: healthTarget(channel, target) };
  const set = outcome.ok
    ? { lastAttemptAt: at, lastSentAt: at, failingSince: null, failedAttempts: 0, lastError: null }
    : {
        lastAttemptAt: at,
        failingSince: sql`coalesce(${deliveryTargets.failingSince}, ${at})`,
        failedAttempts: sql`${deliveryTargets.failedAttempts} + 1`,
        lastError: outcome.error,
      };
  handle.db
    .insert(deliveryTargets)
    .values(
      outcome.ok
        ? { ...key, lastAttemptAt: at, lastSentAt: at, failedAttempts: 0 }
        : { ...key, lastAttemptAt: at, failingSince: at, failedAttempts: 1, lastError: outcome.error },
    )
    .onConflictDoUpdate({ target: [deliveryTargets.channel, deliveryTargets.target], set })
    .run();
}

/** Channels and targets whose latest attempt failed, by channel then target. */
export function failingTargets(handle: DatabaseHandle): Promise<FailingTarget[]> {
  return storeCall('cannot read failing delivery targets', () =>
    handle.db
      .select()
      .from(deliveryTargets)
      .where(gt(deliveryTargets.failedAttempts, 0))
      .orderBy(asc(deliveryTargets.channel), asc(deliveryTargets.target))
      .all()
      .map((row) => ({
        channel: row.channel,
        target: row.target,
        failingSince: row.failingSince ?? row.lastAttemptAt,
        failedAttempts: row.failedAttempts,
        lastError: row.lastError,
        lastAttemptAt: row.lastAttemptAt,
      })),
  );
}
