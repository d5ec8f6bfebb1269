import { describe, expect, it } from 'vitest';
import { dropKnownListings, type KnownListing } from '../../src/domain/listing-history.js';
import { changedSections, nextSectionMethods, sectionMethodsKey } from '../../src/domain/method.js';
import type { EventDraft } from '../../src/domain/events.js';
import type { SnapshotMethod } from '../../src/domain/snapshot.js';
import { entry, fetched } from './domain-fixtures.js';

const OLD: SnapshotMethod = { provider: 'tianyancha', providerVersion: '1', normaliserVersion: 1 };
const NEW: SnapshotMethod = { provider: 'qichacha', providerVersion: '1', normaliserVersion: 1 };

describe('method per section', () => {
  it.each([
    { name: 'first check', previous: undefined, changed: [] },
    { name: 'same method', previous: { method: NEW, sectionMethods: {} }, changed: [] },
    {
      name: 'new method',
      previous: { method: OLD, sectionMethods: {} },
      changed: ['registration', 'abnormalOperations', 'seriousViolations', 'administrativePenalties', 'dishonestDebtors', 'annualReports'],
    },
    { name: 'one section left on the old method', previous: { method: NEW, sectionMethods: { seriousViolations: OLD } }, changed: ['seriousViolations'] },
  ])('changed sections: $name', ({ previous, changed }) => {
    expect([...changedSections(previous, NEW)]).toEqual(changed);
  });

  it('a section read now adopts the new method; a failed or held one keeps its old stamp', () => {
    const previous = { method: OLD, sectionMethods: {} };
    const answer = fetched({}, ['seriousViolations']);
    expect(nextSectionMethods(previous, answer, new Set(), NEW)).toEqual({
      seriousViolations: OLD,
      administrativePenalties: OLD,
      dishonestDebtors: OLD,
      annualReports: OLD,
    });
    expect(nextSectionMethods(previous, fetched(), new Set(['registration']), NEW)).toMatchObject({ registration: OLD });
    // Optional sections not fetched keep the stamp they had (here: the snapshot's own, NEW).
    expect(nextSectionMethods({ method: NEW, sectionMethods: { seriousViolations: OLD } }, fetched(), new Set(), NEW)).toEqual({});
  });

  it('compares stamp sets independently of key order', () => {
    expect(sectionMethodsKey({ registration: OLD, seriousViolations: NEW })).toBe(sectionMethodsKey({ seriousViolations: NEW, registration: OLD }));
    expect(sectionMethodsKey({})).not.toBe(sectionMethodsKey({ registration: OLD }));
  });
});

describe('dropKnownListings', () => {
  const listed = (key: string, listedOn: string | null, reason = '通过登记的住所或者经营场所无法联系的'): EventDraft => ({
    type: 'abnormal_operations.listed',
    baseline: false,
    entry: entry(key, { listedOn, reason }),
  });
  const known: KnownListing[] = [
    { section: 'abnormalOperations', key: 'k1', listedOn: '2025-07-10', reason: '通过登记的住所或者经营场所无法联系的' },
    { section: 'abnormalOperations', key: 'k2', listedOn: null, reason: '未按期公示年度报告' },
  ];
  const changed = new Set(['abnormalOperations'] as const);

  it.each([
    { name: 'same key', event: listed('k1', '2025-07-10'), changed: new Set<never>(), kept: false },
    { name: 'new key, same date, same method', event: listed('n1', '2025-07-10'), changed: new Set<never>(), kept: true },
    { name: 'new key, same date, new method', event: listed('n1', '2025-07-10'), changed, kept: false },
    { name: 'new key, undated, same reason, new method', event: listed('n2', null, '未按期公示年度报告'), changed, kept: false },
    { name: 'new key, new date, new method', event: listed('n3', '2026-11-20'), changed, kept: true },
    { name: 'the same key on another list', event: { ...listed('k1', '2025-07-10'), type: 'serious_violation.listed' as const }, changed, kept: true },
  ])('$name', ({ event, changed: sections, kept }) => {
    expect(dropKnownListings([event], known, sections)).toEqual(kept ? [event] : []);
  });

  it('leaves every other event alone', () => {
    const removed: EventDraft = { type: 'abnormal_operations.removed', baseline: false, entry: entry('k1'), evidence: 'missing' };
    expect(dropKnownListings([removed], known, changed)).toEqual([removed]);
  });
});
