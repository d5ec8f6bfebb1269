/** The latest delivery outcome per channel and target on PostgreSQL (see `../delivery-targets.ts`). */
import { asc, gt, sql } from 'drizzle-orm';
import { healthTarget, type FailingTarget } from '../delivery-targets.js';
import { deliveryTargets } from '../schema.pg.js';
import type { PgExecutor, PgHandle } from './database.js';
import { pgCall } from './pg-error.js';

/**
 * Records one attempt's outcome for (channel, target). Pass the transaction that records the
 * delivery's own outcome, so both agree. One upsert: concurrent attempts to one target each count.
 */
export async function recordTargetAttempt(
  executor: PgExecutor,
  channel: string,
  target: string,
  outcome: { ok: true } | { ok: false; error: string },
  at: number,
): Promise<void> {
  const key = { channel, target: healthTarget(channel, target) };
  const set = outcome.ok
    ? { lastAttemptAt: at, lastSentAt: at, failingSince: null, failedAttempts: 0, lastError: null }
    : {
        lastAttemptAt: at,
        failingSince: sql`coalesce(${deliveryTargets.failingSince}, ${at}::bigint)`,
        failedAttempts: sql`${deliveryTargets.failedAttempts} + 1`,
        lastError: outcome.error,
      };
  await executor
    .insert(deliveryTargets)
    .values(
      outcome.ok
        ? { ...key, lastAttemptAt: at, lastSentAt: at, failedAttempts: 0 }
        : { ...key, lastAttemptAt: at, failingSince: at, failedAttempts: 1, lastError: outcome.error },
    )
    .onConflictDoUpdate({ target: [deliveryTargets.channel, deliveryTargets.target], set });
}

/** Channels and targets whose latest attempt failed, by channel then target. */
export function failingTargets(handle: PgHandle): Promise<FailingTarget[]> {
  return pgCall('cannot read failing delivery targets', async () => {
    const rows = await handle.db
      .select()
      .from(deliveryTargets)
      .where(gt(deliveryTargets.failedAttempts, 0))
      .orderBy(asc(deliveryTargets.channel), asc(deliveryTargets.target));
    return rows.map((row) => ({
      channel: row.channel,
      target: row.target,
      failingSince: row.failingSince ?? row.lastAttemptAt,
      failedAttempts: row.failedAttempts,
      lastError: row.lastError,
      lastAttemptAt: row.lastAttemptAt,
    }));
  });
}
