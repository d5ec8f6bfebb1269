/** The event as every channel sends it, rebuilt from its stored row (DESIGN "Webhook" body). */
import type { EventType, Tier } from '../domain/events.js';
import type { EventMessage } from '../notify/channel.js';
import type { EventPayload } from './schema.js';

/** The notify port's message type: the store builds what every channel sends. */
export type StoredEventMessage = EventMessage;

export interface EventMessageRow {
  id: string;
  type: EventType;
  tier: Tier;
  baseline: boolean;
  detectedAt: number;
  source: string;
  payload: EventPayload;
  /** The customer's current register entry, used only for events stored without a frozen copy. */
  current: { uscc: string; name: string; tags: string[] };
}

/**
 * Builds the message with a fixed key order and from the customer frozen into the event, so that
 * every resend of a delivery serialises to the same bytes.
 */
export function toEventMessage(row: EventMessageRow): StoredEventMessage {
  const { uscc, name, tags } = row.payload.customer ?? row.current;
  const { change, entry, evidence, grade, strategy, escalatesOn, annualReport } = row.payload;
  const kase = row.payload.case;
  return {
    id: row.id,
    type: row.type,
    tier: row.tier,
    baseline: row.baseline,
    detectedAt: new Date(row.detectedAt).toISOString(),
    customer: { uscc, name, tags: [...tags] },
    ...(change === undefined ? {} : { change }),
    ...(entry === undefined ? {} : { entry }),
    ...(evidence === undefined ? {} : { evidence }),
    ...(grade === undefined ? {} : { grade }),
    ...(strategy === undefined ? {} : { strategy }),
    ...(kase === undefined ? {} : { case: kase }),
    ...(escalatesOn === undefined ? {} : { escalatesOn }),
    ...(annualReport === undefined ? {} : { annualReport: { year: annualReport.year } }),
    source: row.source,
  };
}
