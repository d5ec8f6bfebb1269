/** How delivery outcomes feed the `credit_monitor_deliveries_total` counter (see http/metrics.ts). */
import type { DeliverOutcome } from '../app/deliver.js';
import type { DigestOutcome } from '../app/send-digest.js';

export interface DeliveryMetrics {
  /** `failed`: it will be retried; `dead`: given up. */
  delivery(channel: string, result: 'sent' | 'failed' | 'dead'): void;
}

/** One outbox row's attempt; a skipped row (no channel here, disabled target) made no attempt. */
export function countDelivery(metrics: DeliveryMetrics, outcome: DeliverOutcome): void {
  if (outcome.kind !== 'skipped') metrics.delivery(outcome.channel, outcome.kind === 'retry' ? 'failed' : outcome.kind);
}

/** One digest run: an attempt per recipient it sent to. */
export function countDigest(metrics: DeliveryMetrics, outcome: DigestOutcome): void {
  if (outcome.kind !== 'sent' && outcome.kind !== 'incomplete') return;
  for (const r of outcome.recipients) metrics.delivery('email_digest', r.result === 'retry' ? 'failed' : r.result);
}
