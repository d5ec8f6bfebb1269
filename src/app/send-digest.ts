import type { EventMessage, SendResult } from '../notify/channel.js';

export interface DigestStore {
  digestSent(period: string): Promise<boolean>;
  claimDigest(period: string, at: number, leaseMs: number): Promise<boolean>;
  releaseDigestClaim(period: string): Promise<void>;
  pendingDigest(before: number, limit: number): Promise<Array<{ id: string; eventId: string; target: string }>>;
  /** False when another process recorded the period first. */
  recordDigest(period: string, at: number, deliveryIds: readonly string[], eventCount: number): Promise<boolean>;
  eventMessage(eventId: string): Promise<EventMessage | undefined>;
}

export interface DigestDeps {
  store: DigestStore;
  send(recipient: string, messages: EventMessage[], period: string, signal: AbortSignal): Promise<SendResult>;
  clock: () => number;
  /** Most events in one digest run; the rest wait for the next period. Default 5000. */
  maxEvents?: number;
}

export type DigestOutcome =
  | { kind: 'already_sent'; period: string }
  /** Another run is sending it right now (or crashed less than the lease ago). */
  | { kind: 'in_progress'; period: string }
  | { kind: 'sent'; period: string; events: number; recipients: number }
  | { kind: 'failed'; period: string; recipient: string; retryable: boolean; error: string };

/** How long a run may hold the period before another may take over (a crashed run), in ms. */
const CLAIM_LEASE_MS = 15 * 60_000;

/**
 * Sends the daily digest of `period` (YYYY-MM-DD, Asia/Shanghai) once: one e-mail per recipient with
 * every pending digest event, then records the period and those deliveries as sent in one transaction.
 * A crash between sending and recording resends the digest (at least once, never silently lost).
 */
export async function sendDigest(deps: DigestDeps, period: string, signal: AbortSignal): Promise<DigestOutcome> {
  if (await deps.store.digestSent(period)) return { kind: 'already_sent', period };
  const now = deps.clock();
  if (!(await deps.store.claimDigest(period, now, CLAIM_LEASE_MS))) {
    return (await deps.store.digestSent(period)) ? { kind: 'already_sent', period } : { kind: 'in_progress', period };
  }
  const pending = await deps.store.pendingDigest(now, deps.maxEvents ?? 5000);
  const byRecipient = new Map<string, Array<{ id: string; eventId: string }>>();
  for (const row of pending) byRecipient.set(row.target, [...(byRecipient.get(row.target) ?? []), row]);

  const messages = new Map<string, EventMessage>();
  for (const row of pending) {
    if (messages.has(row.eventId)) continue;
    const message = await deps.store.eventMessage(row.eventId);
    if (message) messages.set(row.eventId, message);
  }
  for (const [recipient, rows] of byRecipient) {
    const items = rows.flatMap((row) => messages.get(row.eventId) ?? []);
    if (items.length === 0) continue;
    const result = await deps.send(recipient, items, period, signal);
    if (!result.ok) {
      await deps.store.releaseDigestClaim(period);
      return { kind: 'failed', period, recipient, retryable: result.retryable, error: result.error };
    }
  }
  const recorded = await deps.store.recordDigest(period, now, pending.map((row) => row.id), messages.size);
  if (!recorded) return { kind: 'already_sent', period };
  return { kind: 'sent', period, events: messages.size, recipients: byRecipient.size };
}
