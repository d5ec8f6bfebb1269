import type { Channel, EventMessage } from '../notify/channel.js';

export interface PendingDelivery {
  id: string;
  eventId: string;
  channel: string;
  target: string;
  status: 'pending' | 'sent' | 'dead';
  attempts: number;
  /** Epoch ms. */
  createdAt: number;
}

/** The outbox as delivery sees it. */
export interface DeliveryStore {
  findDelivery(id: string): Promise<PendingDelivery | undefined>;
  eventMessage(eventId: string): Promise<EventMessage | undefined>;
  /** Takes a due pending delivery for one send until `until` (epoch ms); false if not due or taken. */
  claim(id: string, now: number, until: number): Promise<boolean>;
  markSent(id: string, at: number): Promise<void>;
  /** `nextAttemptAt` null means dead. */
  markFailed(id: string, error: string, nextAttemptAt: number | null): Promise<void>;
  /** Webhook targets an operator must re-enable (they answered 410 Gone). */
  disabledWebhookTargets(): Promise<Array<{ name: string }>>;
  disableWebhookTarget(name: string, reason: string, at: number): Promise<void>;
}

export interface DeliverDeps {
  store: DeliveryStore;
  channels: ReadonlyMap<string, Channel>;
  clock: () => number;
  /** Jitter source in [0, 1). */
  random: () => number;
  /** Give up this long after the delivery was created, in ms. Default 24 h. */
  giveUpAfterMs?: number;
  /** Base of the exponential back-off (first retry within this), in ms. Default 10 s; tests shorten it. */
  retryBaseMs?: number;
}

/**
 * How long a send holds its delivery. After Redis lost its data the relay re-adds every pending row,
 * also one a worker is sending that moment; the claim keeps the second job from sending it again.
 * Longer than a webhook's 10 s timeout; a worker killed mid-send delays that row by at most this.
 */
export const SEND_CLAIM_MS = 15_000;

export type DeliverOutcome =
  | { kind: 'sent'; channel: string }
  | { kind: 'skipped'; reason: string }
  /** `attempts`: failed attempts so far, including this one; `target`: the outbox's target. */
  | { kind: 'retry'; channel: string; target: string; atMs: number; attempts: number; error: string }
  | { kind: 'dead'; channel: string; target: string; attempts: number; error: string };

/** Exponential back-off with jitter: first retry within `baseMs` (10 s), growing to at most 1 h. */
export function retryDelayMs(attempt: number, random: () => number, baseMs = 10_000): number {
  const base = Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 3_600_000);
  return Math.round(base * (0.5 + random() / 2));
}

/** Sends one outbox row through its channel and records the outcome. */
export async function deliverOne(deps: DeliverDeps, deliveryId: string, signal: AbortSignal): Promise<DeliverOutcome> {
  const delivery = await deps.store.findDelivery(deliveryId);
  if (!delivery) return { kind: 'skipped', reason: 'no such delivery' };
  if (delivery.status !== 'pending') return { kind: 'skipped', reason: `already ${delivery.status}` };
  const channel = deps.channels.get(delivery.channel);
  if (!channel) return { kind: 'skipped', reason: `channel ${delivery.channel} is not configured in this process` };
  if (delivery.channel === 'webhook' && (await deps.store.disabledWebhookTargets()).some((t) => t.name === delivery.target)) {
    // Stays pending: sent once an operator re-enables the target.
    return { kind: 'skipped', reason: `webhook target ${delivery.target} is disabled` };
  }
  const message = await deps.store.eventMessage(delivery.eventId);
  if (!message) return { kind: 'skipped', reason: 'event missing' };
  const claimedAt = deps.clock();
  if (!(await deps.store.claim(delivery.id, claimedAt, claimedAt + SEND_CLAIM_MS))) {
    return { kind: 'skipped', reason: 'not due, or being sent by another job' };
  }

  const result = await channel.send({ deliveryId: delivery.id, target: delivery.target, message }, signal);
  const now = deps.clock();
  if (result.ok) {
    await deps.store.markSent(delivery.id, now);
    return { kind: 'sent', channel: channel.name };
  }
  const attempt = delivery.attempts + 1;
  const delay = Math.max(result.retryAfterMs ?? 0, retryDelayMs(attempt, deps.random, deps.retryBaseMs));
  const deadline = delivery.createdAt + (deps.giveUpAfterMs ?? 86_400_000);
  if (result.disableTarget === true) {
    await deps.store.disableWebhookTarget(delivery.target, result.error, now);
  }
  if (!result.retryable || now + delay > deadline) {
    await deps.store.markFailed(delivery.id, result.error, null);
    return { kind: 'dead', channel: channel.name, target: delivery.target, attempts: attempt, error: result.error };
  }
  await deps.store.markFailed(delivery.id, result.error, now + delay);
  return { kind: 'retry', channel: channel.name, target: delivery.target, atMs: now + delay, attempts: attempt, error: result.error };
}
