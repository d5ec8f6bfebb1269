import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, TIERS, type EventDraft } from '../../src/domain/events.js';
import { DEFAULT_TIER_POLICY, defaultTier, TIER_LABELS_ZH, tierFor } from '../../src/domain/tiers.js';

function draft(overrides: Partial<EventDraft> & Pick<EventDraft, 'type'>): EventDraft {
  return { baseline: false, ...overrides };
}

describe('defaultTier', () => {
  it.each([
    { event: draft({ type: 'serious_violation.listed' }), tier: 'critical' },
    { event: draft({ type: 'registration.status_changed', statusAfter: 'revoked' }), tier: 'critical' },
    { event: draft({ type: 'registration.status_changed', statusAfter: 'cancelled' }), tier: 'critical' },
    { event: draft({ type: 'registration.status_changed', statusAfter: 'withdrawn' }), tier: 'critical' },
    { event: draft({ type: 'abnormal_operations.listed' }), tier: 'high' },
    { event: draft({ type: 'registration.status_changed', statusAfter: 'relocated_out' }), tier: 'high' },
    { event: draft({ type: 'registration.status_changed', statusAfter: 'suspended' }), tier: 'high' },
    { event: draft({ type: 'registration.status_changed', statusAfter: 'liquidating' }), tier: 'high' },
    { event: draft({ type: 'registration.status_changed', statusAfter: 'unknown' }), tier: 'high' },
    { event: draft({ type: 'registration.status_changed' }), tier: 'high' },
    { event: draft({ type: 'registration.not_found' }), tier: 'high' },
    { event: draft({ type: 'registration.legal_representative_changed' }), tier: 'medium' },
    { event: draft({ type: 'registration.name_changed' }), tier: 'medium' },
    { event: draft({ type: 'registration.business_scope_changed' }), tier: 'medium' },
    { event: draft({ type: 'registration.registered_capital_changed', trend: 'fell' }), tier: 'medium' },
    { event: draft({ type: 'registration.registered_capital_changed' }), tier: 'medium' },
    { event: draft({ type: 'registration.registered_capital_changed', trend: 'rose' }), tier: 'low' },
    { event: draft({ type: 'registration.address_changed' }), tier: 'low' },
    { event: draft({ type: 'registration.status_changed', statusAfter: 'active' }), tier: 'low' },
    { event: draft({ type: 'abnormal_operations.removed' }), tier: 'info' },
    { event: draft({ type: 'serious_violation.removed' }), tier: 'info' },
    { event: draft({ type: 'monitoring.degraded' }), tier: 'medium' },
    { event: draft({ type: 'monitoring.recovered' }), tier: 'info' },
  ])('$event.type $event.statusAfter $event.trend → $tier', ({ event, tier }) => {
    expect(defaultTier(event)).toBe(tier);
    expect(tierFor(event, DEFAULT_TIER_POLICY)).toBe(tier);
  });

  it('has a tier for every event type', () => {
    for (const type of EVENT_TYPES) expect(TIERS).toContain(defaultTier(draft({ type })));
  });
});

describe('tierFor', () => {
  it('applies an override to its type only', () => {
    const policy = { overrides: { 'registration.address_changed': 'high' as const } };
    expect(tierFor(draft({ type: 'registration.address_changed' }), policy)).toBe('high');
    expect(tierFor(draft({ type: 'registration.name_changed' }), policy)).toBe('medium');
  });

  it('lets an override replace the status rule', () => {
    const policy = { overrides: { 'registration.status_changed': 'medium' as const } };
    expect(tierFor(draft({ type: 'registration.status_changed', statusAfter: 'revoked' }), policy)).toBe('medium');
  });
});

describe('TIER_LABELS_ZH', () => {
  it('labels every tier in order', () => {
    expect(TIERS.map((t) => TIER_LABELS_ZH[t])).toEqual(['红色预警', '橙色预警', '黄色预警', '蓝色预警', '提示']);
  });
});
