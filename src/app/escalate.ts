import type { Tier } from '../domain/events.js';

export interface EscalationStore {
  eventsToEscalate(
    now: number,
    policy: { tiers: readonly Tier[]; afterMs: number; maxTimes: number },
    limit: number,
  ): Promise<Array<{ id: string; escalationCount: number }>>;
  recordEscalation(
    eventId: string,
    expectedCount: number,
    at: number,
    targets: ReadonlyArray<{ channel: string; target: string }>,
  ): Promise<string[]>;
}

export interface EscalationDeps {
  store: EscalationStore;
  policy: { tiers: readonly Tier[]; afterMs: number; maxTimes: number; to: readonly string[] };
  clock: () => number;
  /** Enqueues the new deliveries for sending. */
  enqueue(deliveryIds: string[]): Promise<void>;
}

/**
 * Re-notifies the escalation recipients of critical and high events nobody acknowledged in time, at
 * most `maxTimes` per event. Acknowledging an event stops it. Safe with several workers: each round
 * is counted with a compare-and-set.
 */
export async function runEscalations(deps: EscalationDeps): Promise<{ escalated: number }> {
  if (deps.policy.to.length === 0) return { escalated: 0 };
  const now = deps.clock();
  const due = await deps.store.eventsToEscalate(now, deps.policy, 500);
  let escalated = 0;
  for (const event of due) {
    const targets = deps.policy.to.map((to) => ({ channel: 'escalation', target: to }));
    const ids = await deps.store.recordEscalation(event.id, event.escalationCount, now, targets);
    if (ids.length === 0) continue;
    escalated += 1;
    await deps.enqueue(ids);
  }
  return { escalated };
}
