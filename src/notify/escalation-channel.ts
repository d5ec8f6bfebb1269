import type { Channel } from './channel.js';

/**
 * Re-notification of an unacknowledged event through another channel (e-mail). The outbox target is
 * "<recipient>#<round>" (or "#overdue-<deadline>" for a case past a deadline), so each round is a
 * delivery of its own; the suffix is stripped before sending.
 */
export function createEscalationChannel(inner: Channel): Channel {
  return {
    name: 'escalation',
    send: (delivery, signal) => inner.send({ ...delivery, target: delivery.target.replace(/#(?:\d+|overdue-[a-z]+)$/, '') }, signal),
  };
}
