/** The outbox rows of a unit of work's events, with the noise control every writer of events applies. */
import { TIERS, type Tier } from '../domain/events.js';
import { routeEvent, type Routing } from '../domain/routing.js';
import type { DeliveryDraft, StoredEvent } from './ports.js';

/**
 * Routes each event. An event is grouped into a higher-tier one nobody has acknowledged yet
 * (`unacknowledged`, stored earlier) or found in the same unit of work.
 */
export function routeEvents(
  events: readonly StoredEvent[],
  customerTags: readonly string[],
  routing: Routing,
  unacknowledged: readonly Tier[],
): DeliveryDraft[] {
  const outstanding = [...unacknowledged, ...events.map((e) => e.tier)];
  return events.flatMap((event) =>
    routeEvent(event, customerTags, routing, {
      higherTierOutstanding: outstanding.some((tier) => TIERS.indexOf(tier) < TIERS.indexOf(event.tier)),
    }).map((route) => ({ eventId: event.id, ...route })),
  );
}
