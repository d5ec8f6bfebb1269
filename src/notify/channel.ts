import type { EventEntry, EventType, FieldChange, Tier } from '../domain/events.js';
import type { RatedGrade } from '../domain/grades.js';
import type { Strategy } from '../domain/strategy.js';

/** The event as every channel sends it: the webhook body of DESIGN "Webhook". */
export interface EventMessage {
  id: string;
  type: EventType;
  tier: Tier;
  baseline: boolean;
  /** ISO 8601, UTC. */
  detectedAt: string;
  customer: { uscc: string; name: string; tags: string[] };
  change?: FieldChange;
  entry?: EventEntry;
  evidence?: 'removal_date' | 'missing';
  /** `grade.changed`: the new grade and the grading rule that decided it. */
  grade?: { grade: RatedGrade; rule: string };
  /** `grade.changed`: the trading strategy of the new grade (what an ERP enforces, e.g. an order hold). */
  strategy?: Strategy;
  /** `annual_report.missing`: the year whose report is not published. */
  annualReport?: { year: number };
  source: string;
}

export type SendResult =
  | { ok: true }
  | {
      ok: false;
      /** False for a permanent refusal (e.g. a 4xx other than 408/429): the delivery goes dead. */
      retryable: boolean;
      /** One line, no secrets. */
      error: string;
      /** The receiver's advised wait (Retry-After), in ms. */
      retryAfterMs?: number;
      /**
       * The receiver asked never to be called again (webhook 410 Gone): the caller should disable
       * the target until an operator re-enables it. Absent means false. Comes with `retryable: false`.
       */
      disableTarget?: boolean;
    };

/** A way to deliver events: webhook, email, log. */
export interface Channel {
  /** The outbox's channel column: "webhook", "email", "email_digest", "log". */
  readonly name: string;
  /**
   * Sends one delivery. Never throws for a failed send: it comes back as `{ ok: false }`.
   * `deliveryId` is stable across retries (the webhook-id). Honours `signal`.
   */
  send(delivery: { deliveryId: string; target: string; message: EventMessage }, signal: AbortSignal): Promise<SendResult>;
}
