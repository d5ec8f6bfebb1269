import type { FailingTarget } from '../store/delivery-targets.js';

/** One entry of `status --json`'s `failingChannels`. */
export interface FailingChannel {
  channel: string;
  /** The target name or recipient; "*" for a channel that is not configured at all. */
  target: string;
  /** ISO 8601, UTC: the first failed attempt of the current run of failures (or the oldest waiting row). */
  since: string;
  /** Failed attempts since the last success; 0 for a channel that is not configured. */
  failedAttempts: number;
  /** One line, no secrets. */
  lastError: string | null;
}

/** What each channel needs to be configured, for the operator's message. */
const NEEDS: Readonly<Record<string, string>> = {
  webhook: 'CM_WEBHOOK_URL or routing.webhooks',
  email: 'CM_SMTP_URL and CM_MAIL_FROM',
  email_digest: 'CM_SMTP_URL and CM_MAIL_FROM',
  escalation: 'CM_SMTP_URL and CM_MAIL_FROM',
};

/**
 * Which channels are failing now: each target whose latest attempt failed, and each channel that
 * holds pending deliveries while this configuration has no such channel (they would wait for ever).
 */
export function failingChannels(
  targets: readonly FailingTarget[],
  pending: ReadonlyArray<{ channel: string; pending: number; oldestAt: number }>,
  configured: readonly string[],
): FailingChannel[] {
  const failing: FailingChannel[] = targets.map((t) => ({
    channel: t.channel,
    target: t.target,
    since: new Date(t.failingSince).toISOString(),
    failedAttempts: t.failedAttempts,
    lastError: t.lastError,
  }));
  for (const p of pending) {
    if (configured.includes(p.channel)) continue;
    const needs = NEEDS[p.channel];
    failing.push({
      channel: p.channel,
      target: '*',
      since: new Date(p.oldestAt).toISOString(),
      failedAttempts: 0,
      lastError: `channel ${p.channel} is not configured${needs ? ` (${needs})` : ''}: ${p.pending} pending deliveries wait for it`,
    });
  }
  return failing;
}
