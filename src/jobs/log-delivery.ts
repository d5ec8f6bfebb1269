import type { Logger } from '../logger.js';

/** One failed delivery attempt, as the operator needs it in the log. */
export interface DeliveryFailure {
  /** The outbox's channel: webhook, email, email_digest, escalation. */
  channel: string;
  /** The target name (a webhook target's name, never its URL; an e-mail recipient). */
  target: string;
  /** Failed attempts so far, this one included. */
  attempt: number;
  /** When the next attempt runs (epoch ms); null: none, the delivery is dead or this run gave up. */
  nextRetryAt: number | null;
  /** One line, no secrets (the channels never put one in it). */
  error: string;
  /** The delivery gave up: marked dead. */
  dead: boolean;
  deliveryId?: string;
  eventId?: string;
  /** The digest period (YYYY-MM-DD), for the e-mail digest. */
  period?: string;
}

/**
 * Logs a failed delivery attempt at warn and a delivery that went dead at error (issue 9 point 11):
 * a failure must be seen in the log, not only counted in metrics. Logged once, by the job that
 * handled the attempt.
 */
export function logDeliveryFailure(logger: Logger, failure: DeliveryFailure, note?: string): void {
  const fields = {
    channel: failure.channel,
    target: failure.target,
    attempt: failure.attempt,
    nextRetryAt: failure.nextRetryAt === null ? null : new Date(failure.nextRetryAt).toISOString(),
    err: failure.error,
    ...(failure.deliveryId === undefined ? {} : { deliveryId: failure.deliveryId }),
    ...(failure.eventId === undefined ? {} : { eventId: failure.eventId }),
    ...(failure.period === undefined ? {} : { period: failure.period }),
  };
  const what = `${failure.channel} to ${failure.target}`;
  if (failure.dead) {
    logger.error(fields, `delivery dead: ${what} gave up after attempt ${failure.attempt}${note ? `; ${note}` : ''}`);
  } else if (failure.nextRetryAt === null) {
    logger.error(fields, `delivery failed: ${what}, attempt ${failure.attempt}, no retry left${note ? `; ${note}` : ''}`);
  } else {
    logger.warn(fields, `delivery attempt failed: ${what}, attempt ${failure.attempt}, next retry at ${fields.nextRetryAt ?? ''}`);
  }
}
