import type { EventMessage, SendResult } from '../notify/channel.js';

/** What became of one recipient's digest rows in one run. */
export type DigestRowsOutcome = { kind: 'sent' } | { kind: 'failed'; error: string; dead: boolean };

export interface DigestStore {
  digestSent(period: string): Promise<boolean>;
  /**
   * Claims the sending of `period` for `leaseMs`; undefined when it was sent already or another run
   * holds a live claim. The first claim of a period fixes its cut-off (`cutoff`, epoch ms): every
   * later run of the period (a retry, a second job) gets that one back, so a recipient's digest of a
   * period always carries the same rows.
   */
  claimDigest(period: string, at: number, leaseMs: number, cutoff: number): Promise<{ cutoff: number } | undefined>;
  releaseDigestClaim(period: string): Promise<void>;
  pendingDigest(before: number, limit: number): Promise<Array<{ id: string; eventId: string; target: string }>>;
  /** Records one recipient's send for its rows, in one transaction: sent, or a failed attempt (dead or still pending). */
  recordDigestRows(recipient: string, ids: readonly string[], outcome: DigestRowsOutcome, at: number): Promise<void>;
  /** Marks the period done. False when another process recorded it first. */
  recordDigest(period: string, at: number, eventCount: number): Promise<boolean>;
  eventMessage(eventId: string): Promise<EventMessage | undefined>;
}

export interface DigestDeps {
  store: DigestStore;
  send(recipient: string, messages: EventMessage[], period: string, signal: AbortSignal): Promise<SendResult>;
  clock: () => number;
  /** Most rows in one digest run; the rest wait for the next period. Default 5000. */
  maxEvents?: number;
}

/** One recipient's digest in one run. `retry`: a transient failure, sent again by the next run of the period. */
export interface DigestRecipientResult {
  recipient: string;
  events: number;
  result: 'sent' | 'dead' | 'retry';
  /** One line, no secrets; set unless sent. */
  error?: string;
}

export type DigestOutcome =
  | { kind: 'already_sent'; period: string }
  /** Another run is sending it right now (or crashed less than the lease ago). */
  | { kind: 'in_progress'; period: string }
  /** The period is done: every recipient's digest was sent or is dead. */
  | { kind: 'sent'; period: string; events: number; recipients: DigestRecipientResult[] }
  /** Some recipient failed transiently: the period stays open for another run (the others are recorded). */
  | { kind: 'incomplete'; period: string; recipients: DigestRecipientResult[] };

/** How long a run may hold the period before another may take over (a crashed run), in ms. */
const CLAIM_LEASE_MS = 15 * 60_000;

/**
 * Sends the daily digest of `period` (YYYY-MM-DD, Asia/Shanghai): one e-mail per recipient with that
 * recipient's pending digest rows recorded before the period's cut-off (`cutoff`, epoch ms: when the
 * digest was due). Rows recorded later belong to the next period. Each recipient is a delivery of
 * its own: its rows are marked sent, or dead on a permanent refusal, as soon as its send returns,
 * whatever the other recipients do; a transient failure leaves its rows pending and the period open,
 * and the next run sends only what is still pending. A crash between a send and its record resends
 * that one digest (same Message-ID, same rows: at least once, never silently lost).
 */
export async function sendDigest(
  deps: DigestDeps,
  period: { date: string; cutoff: number },
  signal: AbortSignal,
): Promise<DigestOutcome> {
  const date = period.date;
  if (await deps.store.digestSent(date)) return { kind: 'already_sent', period: date };
  const now = deps.clock();
  const claim = await deps.store.claimDigest(date, now, CLAIM_LEASE_MS, Math.min(period.cutoff, now));
  if (!claim) {
    return (await deps.store.digestSent(date)) ? { kind: 'already_sent', period: date } : { kind: 'in_progress', period: date };
  }
  const pending = await deps.store.pendingDigest(claim.cutoff, deps.maxEvents ?? 5000);
  const byRecipient = new Map<string, Array<{ id: string; eventId: string }>>();
  for (const row of pending) byRecipient.set(row.target, [...(byRecipient.get(row.target) ?? []), row]);

  const messages = new Map<string, EventMessage>();
  for (const row of pending) {
    if (messages.has(row.eventId)) continue;
    const message = await deps.store.eventMessage(row.eventId);
    if (message) messages.set(row.eventId, message);
  }
  const results: DigestRecipientResult[] = [];
  for (const [recipient, rows] of byRecipient) {
    const items = rows.flatMap((row) => messages.get(row.eventId) ?? []);
    if (items.length === 0) continue;
    if (signal.aborted) {
      results.push({ recipient, events: items.length, result: 'retry', error: `email digest to ${recipient}: not sent, shutting down` });
      continue;
    }
    const sent = await deps.send(recipient, items, date, signal);
    const at = deps.clock();
    const ids = rows.map((row) => row.id);
    if (sent.ok) {
      await deps.store.recordDigestRows(recipient, ids, { kind: 'sent' }, at);
      results.push({ recipient, events: items.length, result: 'sent' });
    } else {
      await deps.store.recordDigestRows(recipient, ids, { kind: 'failed', error: sent.error, dead: !sent.retryable }, at);
      results.push({ recipient, events: items.length, result: sent.retryable ? 'retry' : 'dead', error: sent.error });
    }
  }
  if (results.some((r) => r.result === 'retry')) {
    await deps.store.releaseDigestClaim(date);
    return { kind: 'incomplete', period: date, recipients: results };
  }
  if (!(await deps.store.recordDigest(date, deps.clock(), messages.size))) return { kind: 'already_sent', period: date };
  return { kind: 'sent', period: date, events: messages.size, recipients: results };
}
