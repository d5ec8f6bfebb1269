/** Tier policy: the design's default tier per event, overridable per event type from config. */
import type { EventDraft, EventType, Tier } from './events.js';
import { gradeChangeTier, isGrade } from './grades.js';
import { TERMINAL_STATUSES } from './snapshot.js';

export interface TierPolicy {
  /** A fixed tier for an event type, replacing the default rule for that type (config `tiers`). */
  overrides: Partial<Record<EventType, Tier>>;
}

export const DEFAULT_TIER_POLICY: TierPolicy = Object.freeze({ overrides: Object.freeze({}) });

/** The four warning colours of 突发事件应对法 Art. 63 (red highest), plus plain information. */
export const TIER_LABELS_ZH: Readonly<Record<Tier, string>> = Object.freeze({
  critical: '红色预警',
  high: '橙色预警',
  medium: '黄色预警',
  low: '蓝色预警',
  info: '提示',
});

/** The design's table ("Events"), plus the optional sections' types (issue 5). */
export function defaultTier(draft: EventDraft): Tier {
  switch (draft.type) {
    case 'serious_violation.listed':
    case 'dishonest_debtor.listed':
      return 'critical';
    case 'registration.status_changed': {
      const after = draft.statusAfter;
      if (after !== undefined && TERMINAL_STATUSES.includes(after)) return 'critical';
      // Without statusAfter we cannot tell good news from bad; assume bad.
      return after === 'active' ? 'low' : 'high';
    }
    case 'abnormal_operations.listed':
    case 'abnormal_operations.escalation_due':
    case 'registration.not_found':
    case 'case.overdue':
      return 'high';
    case 'registration.legal_representative_changed':
    case 'registration.name_changed':
    case 'registration.business_scope_changed':
    case 'administrative_penalty.added':
    case 'annual_report.missing':
    case 'monitoring.degraded':
      return 'medium';
    case 'registration.registered_capital_changed':
      // A currency switch or a capital that appeared or vanished has no trend: treat it like a fall.
      return draft.trend === 'rose' ? 'low' : 'medium';
    case 'registration.address_changed':
      return 'low';
    case 'abnormal_operations.removed':
    case 'serious_violation.removed':
    case 'dishonest_debtor.removed':
    case 'monitoring.recovered':
    case 'case.opened':
    case 'case.resolved':
      return 'info';
    case 'grade.changed':
      return gradeTier(draft);
  }
}

/** To risk high, any other fall medium, a rise low (grades.ts); a change that cannot be read counts as a fall. */
function gradeTier(draft: EventDraft): Tier {
  const before = draft.change?.before;
  const after = draft.change?.after;
  if (!isGrade(before) || !isGrade(after)) return 'medium';
  return gradeChangeTier(before, after) ?? 'info';
}

export function tierFor(draft: EventDraft, policy: TierPolicy): Tier {
  return policy.overrides[draft.type] ?? defaultTier(draft);
}
