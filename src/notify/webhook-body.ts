import type { EventMessage } from './channel.js';

/**
 * The webhook body for one event, as JSON text with a fixed key order (DESIGN "Webhook"): id, type,
 * tier, baseline, detectedAt, customer {uscc, name, tags}, change?, entry?, evidence?, grade?
 * {grade, rule}, strategy? {paymentTermDays, settlement, depositPercent, newOrders}, annualReport?
 * {year}, source.
 *
 * Built field by field rather than with `JSON.stringify(message)` so that the bytes depend only on
 * the event's values, never on the order in which a store or mapper happened to assign properties:
 * a resend must be byte-identical for the receiver's dedupe and for the signature to mean anything.
 */
export function serialiseEventMessage(message: EventMessage): string {
  const ordered: Record<string, unknown> = {
    id: message.id,
    type: message.type,
    tier: message.tier,
    baseline: message.baseline,
    detectedAt: message.detectedAt,
    customer: { uscc: message.customer.uscc, name: message.customer.name, tags: [...message.customer.tags] },
  };
  if (message.change) {
    ordered.change = { field: message.change.field, before: message.change.before, after: message.change.after };
  }
  if (message.entry) {
    const { key, listedOn, reason, authority, removedOn, removalReason } = message.entry;
    ordered.entry = { key, listedOn, reason, authority, removedOn, removalReason };
  }
  if (message.evidence !== undefined) ordered.evidence = message.evidence;
  if (message.grade) ordered.grade = { grade: message.grade.grade, rule: message.grade.rule };
  if (message.strategy) {
    const { paymentTermDays, settlement, depositPercent, newOrders } = message.strategy;
    ordered.strategy = { paymentTermDays, settlement, depositPercent, newOrders };
  }
  if (message.annualReport) ordered.annualReport = { year: message.annualReport.year };
  ordered.source = message.source;
  return JSON.stringify(ordered);
}
