import { describe, expect, it } from 'vitest';
import { diffSnapshots } from '../../src/domain/diff.js';
import type { EventDraft } from '../../src/domain/events.js';
import type { Registration } from '../../src/domain/snapshot.js';
import { fetched, NOT_FOUND, registration, SAME_METHOD, snapshot, summary } from './domain-fixtures.js';

function registrationEvents(before: Registration, after: Registration): EventDraft[] {
  return diffSnapshots(snapshot({ registration: before }), fetched({ registration: after }), SAME_METHOD).events;
}

describe('diffSnapshots: registration', () => {
  it.each([
    { name: 'nothing changed', after: registration(), type: null, tier: null },
    { name: 'only the status wording changed', after: registration({ statusRaw: '在业' }), type: null, tier: null },
    { name: 'revoked', after: registration({ status: 'revoked' }), type: 'registration.status_changed', tier: 'critical' },
    { name: 'cancelled', after: registration({ status: 'cancelled' }), type: 'registration.status_changed', tier: 'critical' },
    { name: 'withdrawn', after: registration({ status: 'withdrawn' }), type: 'registration.status_changed', tier: 'critical' },
    { name: 'relocated out', after: registration({ status: 'relocated_out' }), type: 'registration.status_changed', tier: 'high' },
    { name: 'suspended', after: registration({ status: 'suspended' }), type: 'registration.status_changed', tier: 'high' },
    { name: 'liquidating', after: registration({ status: 'liquidating' }), type: 'registration.status_changed', tier: 'high' },
    { name: 'unknown status', after: registration({ status: 'unknown' }), type: 'registration.status_changed', tier: 'high' },
    { name: 'renamed', after: registration({ name: '腾讯科技有限公司' }), type: 'registration.name_changed', tier: 'medium' },
    { name: 'new legal representative', after: registration({ legalRepresentative: '张三' }), type: 'registration.legal_representative_changed', tier: 'medium' },
    { name: 'business scope', after: registration({ businessScope: '软件开发' }), type: 'registration.business_scope_changed', tier: 'medium' },
    { name: 'address', after: registration({ address: '深圳市福田区' }), type: 'registration.address_changed', tier: 'low' },
    { name: 'capital fell', after: registration({ registeredCapital: { amount: 1_000_000, currency: 'CNY' } }), type: 'registration.registered_capital_changed', tier: 'medium' },
    { name: 'capital rose', after: registration({ registeredCapital: { amount: 100_000_000, currency: 'CNY' } }), type: 'registration.registered_capital_changed', tier: 'low' },
    { name: 'capital currency changed', after: registration({ registeredCapital: { amount: 100_000_000, currency: 'USD' } }), type: 'registration.registered_capital_changed', tier: 'medium' },
    { name: 'capital no longer stated (kept)', after: registration({ registeredCapital: null }), type: null, tier: null },
    { name: 'legal representative absent (kept)', after: registration({ legalRepresentative: null }), type: null, tier: null },
    { name: 'address and scope absent (kept)', after: registration({ address: null, businessScope: null }), type: null, tier: null },
    { name: 'status text absent (kept)', after: registration({ status: 'unknown', statusRaw: '' }), type: null, tier: null },
    { name: 'established date corrected (no event)', after: registration({ establishedOn: '1998-11-12' }), type: null, tier: null },
  ])('$name', ({ after, type, tier }) => {
    expect(summary(registrationEvents(registration(), after))).toEqual(type === null ? [] : [{ type, tier, baseline: false }]);
  });

  it('reports a status change with before, after and statusAfter', () => {
    expect(registrationEvents(registration(), registration({ status: 'revoked' }))).toEqual([
      { type: 'registration.status_changed', baseline: false, change: { field: 'status', before: 'active', after: 'revoked' }, statusAfter: 'revoked' },
    ]);
  });

  it('reports back to active as low', () => {
    const events = registrationEvents(registration({ status: 'suspended' }), registration());
    expect(summary(events)).toEqual([{ type: 'registration.status_changed', tier: 'low', baseline: false }]);
  });

  it('reports capital as text with its trend', () => {
    const [event] = registrationEvents(registration(), registration({ registeredCapital: { amount: 1_000_000, currency: 'CNY' } }));
    expect(event).toMatchObject({ change: { field: 'registeredCapital', before: '65000000 CNY', after: '1000000 CNY' }, trend: 'fell' });
  });

  it('reports field changes with before and after', () => {
    const [event] = registrationEvents(registration(), registration({ legalRepresentative: '张三' }));
    expect(event?.change).toEqual({ field: 'legalRepresentative', before: '马化腾', after: '张三' });
  });

  it('reports several changes in a stable order', () => {
    const after = registration({ status: 'liquidating', name: '新名称', address: '新地址', registeredCapital: { amount: 1, currency: 'CNY' }, businessScope: '新范围', legalRepresentative: '李四' });
    expect(registrationEvents(registration(), after).map((e) => e.type)).toEqual([
      'registration.status_changed',
      'registration.name_changed',
      'registration.legal_representative_changed',
      'registration.registered_capital_changed',
      'registration.address_changed',
      'registration.business_scope_changed',
    ]);
  });

  it.each([
    { name: 'company disappears', before: registration(), after: NOT_FOUND, expected: [{ type: 'registration.not_found', tier: 'high', baseline: false }] },
    { name: 'still not found', before: NOT_FOUND, after: NOT_FOUND, expected: [] },
    { name: 'back, active', before: NOT_FOUND, after: registration(), expected: [{ type: 'registration.status_changed', tier: 'low', baseline: false }] },
    { name: 'back, revoked', before: NOT_FOUND, after: registration({ status: 'revoked' }), expected: [{ type: 'registration.status_changed', tier: 'critical', baseline: false }] },
  ])('not found: $name', ({ before, after, expected }) => {
    const { events, next } = diffSnapshots(snapshot({ registration: before }), fetched({ registration: after }), SAME_METHOD);
    expect(summary(events)).toEqual(expected);
    expect(next.registration).toEqual(after);
  });

  it('keeps the last known value of a field missing from one answer, and says which and why', () => {
    const before = registration();
    const answer = fetched({ registration: registration({ legalRepresentative: null, registeredCapital: null }) });
    const { events, next, keptFields } = diffSnapshots(snapshot({ registration: before }), { ...answer, unreadFields: ['registeredCapital'] }, SAME_METHOD);
    expect(events).toEqual([]);
    expect(next.registration).toEqual(before);
    expect(keptFields).toEqual([
      { field: 'legalRepresentative', reason: 'absent' },
      { field: 'registeredCapital', reason: 'unreadable' },
    ]);
  });

  it('reports nothing when a value returns after an answer without it, nor when one is first known', () => {
    let current = snapshot();
    for (const after of [registration({ legalRepresentative: null }), registration()]) {
      const result = diffSnapshots(current, fetched({ registration: after }), SAME_METHOD);
      expect(result.events).toEqual([]);
      current = result.next;
    }
    const unknownCapital = snapshot({ registration: registration({ registeredCapital: null }) });
    expect(diffSnapshots(unknownCapital, fetched(), SAME_METHOD).events).toEqual([]);
  });

  it('says where a company came back from', () => {
    const { events } = diffSnapshots(snapshot({ registration: NOT_FOUND }), fetched(), SAME_METHOD);
    expect(events[0]?.change).toEqual({ field: 'status', before: 'not_found', after: 'active' });
  });
});
