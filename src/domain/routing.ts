/** Which channels and targets one event goes to. Pure: the outbox rows are built from this. */
import type { EventType, Tier } from './events.js';

export interface Routing {
  /** Names of the configured webhook targets; every event goes to each of them. */
  webhooks: string[];
  email: {
    /** Recipients' addresses; one delivery per recipient. */
    to: string[];
    /** Tiers mailed at once (default critical, high). */
    immediateTiers: Tier[];
    /** Tiers collected into the daily digest (default medium, low, info). */
    digestTiers: Tier[];
  };
  /** Extra e-mail recipients per customer tag (department, region); same tiers as `email`. */
  tagRecipients?: Readonly<Record<string, readonly string[]>>;
  /** Also write every event to the log (channel "log", target "stdout"). */
  log: boolean;
}

export interface RouteOptions {
  /**
   * The customer has an unacknowledged event of a higher tier: this one is grouped into it (it goes to
   * the digest) rather than mailed alone. Webhooks still receive every event: machines do not tire.
   */
  higherTierOutstanding?: boolean;
}

export interface Route {
  channel: 'webhook' | 'email' | 'email_digest' | 'log';
  target: string;
}

/**
 * The urgent tiers (红色, 橙色预警): by default mailed at once, and re-notified while nobody
 * acknowledges them. Written once: routing, escalation (and the next channels) default to it.
 */
export const URGENT_TIERS: readonly Tier[] = ['critical', 'high'];
export const DEFAULT_IMMEDIATE_TIERS: readonly Tier[] = URGENT_TIERS;
export const DEFAULT_DIGEST_TIERS: readonly Tier[] = ['medium', 'low', 'info'];

/**
 * Routes one event. A tier listed both as immediate and digest is mailed at once only (the digest
 * would repeat it). Duplicate targets collapse, since a delivery is unique per (event, channel, target).
 */
export function routeEvent(
  event: { tier: Tier; type: EventType },
  customerTags: readonly string[],
  routing: Routing,
  options: RouteOptions = {},
): Route[] {
  const routes: Route[] = [];
  const add = (channel: Route['channel'], targets: readonly string[]): void => {
    for (const target of new Set(targets)) routes.push({ channel, target });
  };
  add('webhook', routing.webhooks);
  const recipients = [...routing.email.to, ...customerTags.flatMap((tag) => routing.tagRecipients?.[tag] ?? [])];
  const immediate = routing.email.immediateTiers.includes(event.tier);
  if (immediate && !options.higherTierOutstanding) add('email', recipients);
  else if (immediate || routing.email.digestTiers.includes(event.tier)) add('email_digest', recipients);
  if (routing.log) add('log', ['stdout']);
  return routes;
}
