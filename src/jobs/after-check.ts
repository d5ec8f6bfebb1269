/**
 * What the scan queue does once a check is committed: count it, say what the operator must know
 * (a silent re-baseline, registration fields the answer lacked), and enqueue its deliveries at once.
 */
import type { CheckOutcome } from '../app/check-customer.js';
import { createOncePerStreak } from '../app/once-per-streak.js';
import type { EventType, Tier } from '../domain/events.js';
import type { Grade } from '../domain/grades.js';
import { isOptionalSection, SECTION_NAMES, type OptionalSections, type ProviderErrorKind, type SectionName } from '../domain/sections.js';
import type { Logger } from '../logger.js';

/** How a check ended, as the metrics count it: `changed` stored events, `failed` had a failed section. */
export type CheckResult = Exclude<CheckOutcome['kind'], 'checked'> | 'changed' | 'unchanged' | 'failed';

/** The counters a check feeds (see http/metrics.ts). */
export interface CheckMetrics {
  checkFinished(result: CheckResult, seconds: number): void;
  providerRequest(provider: string, section: SectionName, outcome: 'ok' | ProviderErrorKind): void;
  eventRecorded(type: EventType, tier: Tier): void;
}

export interface AfterCheckDeps {
  metrics: CheckMetrics;
  /** The configured provider's id, e.g. "tianyancha". */
  provider: string;
  /** The optional sections that are on: one that is off made no request, so it is not counted. */
  sections: OptionalSections;
  /** Pending deliveries of these events that this process can send (the store's sendable filter). */
  sendablePending(eventIds: readonly string[]): Promise<ReadonlyArray<{ id: string; attempts: number }>>;
  /** Adds the deliver job of one delivery's next attempt. */
  enqueueDelivery(deliveryId: string, attempts: number): Promise<void>;
  /** Counts a recorded check under the grade it gave (today's checks per grade in `status`). None: not counted. */
  countGradeCheck?: (grade: Grade) => Promise<void>;
  logger: Logger;
}

/** Returns the scan processor's `afterCheck`; it keeps which customers' missing fields were said already. */
export function createAfterCheck(deps: AfterCheckDeps): (outcome: CheckOutcome, seconds: number) => Promise<void> {
  const keptFieldsNotice = createOncePerStreak();
  return async (outcome, seconds) => {
    if (outcome.kind !== 'checked') {
      deps.metrics.checkFinished(outcome.kind, seconds);
      return;
    }
    for (const section of SECTION_NAMES) {
      // An optional section that is off (or not due this check) made no request; counting it "ok" would be a lie.
      if (isOptionalSection(section) && !deps.sections[section]) continue;
      if (outcome.skippedSections.includes(section)) continue;
      const failed = outcome.failedSections.find((f) => f.section === section);
      deps.metrics.providerRequest(deps.provider, section, failed ? failed.error.kind : 'ok');
    }
    deps.metrics.checkFinished(checkResult(outcome), seconds);
    await deps.countGradeCheck?.(outcome.grade.after);
    for (const event of outcome.events) deps.metrics.eventRecorded(event.type, event.tier);
    if (outcome.methodChanged) deps.logger.info({ uscc: outcome.uscc }, 'provider or normaliser changed: re-baselined silently');
    const kept = outcome.keptFields.map((f) => `${f.field}:${f.reason}`).join(',');
    if (keptFieldsNotice(outcome.uscc, kept === '' ? null : kept)) {
      deps.logger.warn({ uscc: outcome.uscc, keptFields: outcome.keptFields }, 'answer without some registration fields: their last known values were kept');
    }
    if (outcome.events.length === 0) return;
    // Enqueue at once rather than waiting for the relay: detection to delivery stays well under a second.
    const pending = await deps.sendablePending(outcome.events.map((e) => e.id));
    for (const d of pending) await deps.enqueueDelivery(d.id, d.attempts);
  };
}

function checkResult(outcome: Extract<CheckOutcome, { kind: 'checked' }>): CheckResult {
  if (outcome.failedSections.length > 0) return 'failed';
  return outcome.events.length > 0 ? 'changed' : 'unchanged';
}
