import { createHash } from 'node:crypto';

/**
 * The stable id of one delivery (event × channel × target): sha256 hex of the three, JSON-encoded so
 * no choice of separator can make two triples collide. It is the webhook's `webhook-id`, the same on
 * every retry and after a crash, so receivers can dedupe on it.
 */
export function deliveryId(eventId: string, channel: string, target: string): string {
  return createHash('sha256').update(JSON.stringify([eventId, channel, target])).digest('hex');
}
