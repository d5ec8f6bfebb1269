import type { EventEntry, EventType, FieldChange, Tier } from '../domain/events.js';
import type { CasePayload } from '../domain/cases.js';
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
  /** Case events: the case as it stands after the event (DESIGN "Cases and deadlines"). */
  case?: CasePayload;
  /** `abnormal_operations.escalation_due`: the day the entry completes three years on the list. */
  escalatesOn?: string;
  /** `annual_report.missing`: the year whose annual report is not published. */
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
      /**
       * The receiver said it is throttling this target (an IM robot's rate limit): every sender of
       * the fleet should hold off until `retryAfterMs` has passed, not only this delivery.
       */
      throttled?: boolean;
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

/** The IM robot channels of DESIGN "Chinese IM robots"; also the outbox's channel column. */
export const ROBOT_CHANNELS = ['wecom', 'dingtalk', 'feishu'] as const;
export type RobotType = (typeof ROBOT_CHANNELS)[number];

export function isRobotChannel(channel: string): channel is RobotType {
  return (ROBOT_CHANNELS as readonly string[]).includes(channel);
}

/** One configured group robot. */
export interface RobotTarget {
  /** The name under `channels` in the config; the outbox's `target` (never the URL: it is the credential). */
  name: string;
  type: RobotType;
  /** The webhook URL as given (WeCom's carries `key`, DingTalk's `access_token`, Feishu's the hook token). */
  url: string;
  /** DingTalk 加签 secret (`SEC…`) or Feishu 签名校验 secret. */
  secret?: string;
  /** The robot's security keyword: every message carries it. */
  keyword?: string;
}

/**
 * What waits for one robot when its rate limit cannot carry it message by message (DESIGN: fold
 * into one summary rather than drop or queue for hours).
 */
export interface RobotSummary {
  /** The delivery whose token sends the summary; stable across retries. */
  deliveryId: string;
  target: string;
  /** The events folded in, most severe first; the channel shows as many as fit its size limit. */
  messages: readonly EventMessage[];
}

/** A group robot channel: one event per message, or a summary of many. */
export interface RobotChannel extends Channel {
  readonly name: RobotType;
  sendSummary(summary: RobotSummary, signal: AbortSignal): Promise<SendResult>;
  /** Releases the channel's own HTTP Agent. */
  close(): Promise<void>;
}
