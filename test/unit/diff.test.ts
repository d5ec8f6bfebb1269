import { describe, expect, it } from 'vitest';
import { diffSnapshots, toFetchedSections } from '../../src/domain/diff.js';
import type { RawSections } from '../../src/domain/sections.js';
import { snapshotHash } from '../../src/domain/snapshot-hash.js';
import type { Snapshot } from '../../src/domain/snapshot.js';
import {
  entry,
  fetched,
  NEW_METHOD,
  NOT_FOUND,
  rawEntry,
  rawRegistration,
  registration,
  SAME_METHOD,
  sha256,
  snapshot,
  summary,
} from './domain-fixtures.js';

describe('diffSnapshots: baseline', () => {
  it('reports only what is already wrong, each marked baseline', () => {
    const result = diffSnapshots(
      null,
      fetched({
        registration: registration({ status: 'revoked' }),
        abnormalOperations: [entry('a1'), entry('a2', { removedOn: '2025-01-01' })],
        seriousViolations: [entry('s1')],
      }),
      SAME_METHOD,
    );
    expect(summary(result.events)).toEqual([
      { type: 'registration.status_changed', tier: 'critical', baseline: true },
      { type: 'abnormal_operations.listed', tier: 'high', baseline: true },
      { type: 'serious_violation.listed', tier: 'critical', baseline: true },
    ]);
    expect(result.events[0]).toMatchObject({ change: { field: 'status', before: null, after: 'revoked' }, statusAfter: 'revoked' });
    expect(result.events[1]?.entry?.key).toBe('a1');
  });

  it('is silent for an active company with clean lists', () => {
    expect(diffSnapshots(null, fetched(), SAME_METHOD).events).toEqual([]);
  });

  it('reports a company that does not exist', () => {
    expect(summary(diffSnapshots(null, fetched({ registration: NOT_FOUND }), SAME_METHOD).events)).toEqual([
      { type: 'registration.not_found', tier: 'high', baseline: true },
    ]);
  });

  it('is per section: a section read for the first time is its own baseline', () => {
    const previous = snapshot({ abnormalOperations: null });
    const result = diffSnapshots(previous, fetched({ registration: registration({ name: '新名称' }), abnormalOperations: [entry('a1')] }), SAME_METHOD);
    expect(summary(result.events)).toEqual([
      { type: 'registration.name_changed', tier: 'medium', baseline: false },
      { type: 'abnormal_operations.listed', tier: 'high', baseline: true },
    ]);
  });
});

describe('diffSnapshots: failed sections', () => {
  const previous = snapshot({ abnormalOperations: [entry('a1')], seriousViolations: [entry('s1')] });

  it.each([
    ['registration' as const],
    ['abnormalOperations' as const],
    ['seriousViolations' as const],
  ])('a failed %s carries forward and says nothing', (section) => {
    const result = diffSnapshots(previous, fetched({ abnormalOperations: [entry('a1')], seriousViolations: [entry('s1')] }, [section]), SAME_METHOD);
    expect(result.events).toEqual([]);
    expect(result.next).toEqual(previous);
  });

  it('a failure is never a removal, however often it repeats', () => {
    let current: Snapshot = previous;
    for (let i = 0; i < 5; i++) {
      const result = diffSnapshots(current, fetched({}, ['abnormalOperations', 'seriousViolations']), SAME_METHOD);
      expect(result.events).toEqual([]);
      current = result.next;
    }
    expect(current.abnormalOperations).toEqual([entry('a1')]);
  });

  it('only the successful sections produce events', () => {
    const result = diffSnapshots(previous, fetched({ registration: registration({ status: 'revoked' }) }, ['abnormalOperations', 'seriousViolations']), SAME_METHOD);
    expect(result.events.map((e) => e.type)).toEqual(['registration.status_changed']);
  });

  it('a first check where everything failed leaves every section unread', () => {
    const result = diffSnapshots(null, fetched({}, ['registration', 'abnormalOperations', 'seriousViolations']), SAME_METHOD);
    expect(result).toEqual({ next: { registration: null, abnormalOperations: null, seriousViolations: null }, events: [], held: [], keptFields: [] });
  });
});

describe('diffSnapshots: formatting noise is no change', () => {
  const raw = (noisy: boolean): RawSections => ({
    registration: {
      ok: true,
      value: noisy
        ? rawRegistration({ name: '深圳市腾讯计算机系统有限公司\u3000', statusText: '存续(在营、开业、在册)', registeredCapitalText: '6,500.000000 万元人民币', establishedOn: 910713600000 })
        : rawRegistration(),
    },
    abnormalOperations: {
      ok: true,
      value: noisy
        ? [rawEntry({ listedOn: '2025年7月10日', reason: '公示企业信息隐瞒真实情况、弄虚作假的 ' }), rawEntry({ listedOn: 1795104000000 })]
        : [rawEntry(), rawEntry({ listedOn: '2025-07-10', reason: '公示企业信息隐瞒真实情况、弄虚作假的' })],
    },
    seriousViolations: noisy ? { ok: false, error: { kind: 'no_data', message: '' } } : { ok: true, value: [] },
  });

  it('gives no events and an identical snapshot hash', () => {
    const first = diffSnapshots(null, toFetchedSections(raw(false), sha256), SAME_METHOD);
    const second = diffSnapshots(first.next, toFetchedSections(raw(true), sha256), SAME_METHOD);
    expect(second.events).toEqual([]);
    expect(snapshotHash(second.next, sha256)).toBe(snapshotHash(first.next, sha256));
  });

  it('reordered entries are no change', () => {
    const previous = snapshot({ abnormalOperations: [entry('a1'), entry('a2')] });
    const result = diffSnapshots(previous, fetched({ abnormalOperations: [entry('a2'), entry('a1')] }), SAME_METHOD);
    expect(result.events).toEqual([]);
    expect(result.next).toEqual(previous);
  });
});

describe('diffSnapshots: re-baseline when the method changed', () => {
  const previous = snapshot({
    abnormalOperations: [entry('old-1', { listedOn: '2025-07-10' }), entry('old-2', { listedOn: '2024-07-10' })],
    seriousViolations: [entry('old-s', { listedOn: '2023-01-01' })],
  });

  it('is silent about field changes and keys that merely changed', () => {
    const result = diffSnapshots(
      previous,
      fetched({
        registration: registration({ name: '腾讯', address: '深圳', registeredCapital: { amount: 1, currency: 'CNY' }, statusRaw: '在业' }),
        abnormalOperations: [entry('new-1', { listedOn: '2025-07-10' })],
        seriousViolations: [entry('new-s', { listedOn: '2023-01-01' })],
      }),
      NEW_METHOD,
    );
    expect(result.events).toEqual([]);
    // Old keys that are absent are dropped, not counted as missing.
    expect(result.next.abnormalOperations?.map((e) => e.key)).toEqual(['new-1']);
    expect(result.next.seriousViolations?.map((e) => e.key)).toEqual(['new-s']);
  });

  it('still reports a listing whose date was not known before, not as baseline', () => {
    const result = diffSnapshots(
      previous,
      fetched({ abnormalOperations: [entry('new-1', { listedOn: '2025-07-10' }), entry('new-3', { listedOn: '2026-11-20' })] }),
      NEW_METHOD,
    );
    expect(summary(result.events)).toEqual([{ type: 'abnormal_operations.listed', tier: 'high', baseline: false }]);
    expect(result.events[0]?.entry?.key).toBe('new-3');
  });

  it('still reports a move into a terminal status', () => {
    expect(diffSnapshots(previous, fetched({ registration: registration({ status: 'cancelled' }) }), NEW_METHOD).events.map((e) => e.type)).toEqual([
      'registration.status_changed',
    ]);
  });

  it.each([
    { name: 'terminal to another terminal status', before: registration({ status: 'cancelled' }), after: registration({ status: 'revoked' }) },
    { name: 'terminal back to active', before: registration({ status: 'cancelled' }), after: registration() },
    { name: 'active to suspended', before: registration(), after: registration({ status: 'suspended' }) },
    { name: 'not found to active', before: NOT_FOUND, after: registration() },
  ])('raises nothing on its own: $name', ({ before, after }) => {
    expect(diffSnapshots(snapshot({ registration: before }), fetched({ registration: after }), NEW_METHOD).events).toEqual([]);
  });

  it('holds a "no such company" from the new method for a company the old one knew', () => {
    const result = diffSnapshots(previous, fetched({ registration: NOT_FOUND }), NEW_METHOD);
    expect(result.events).toEqual([]);
    expect(result.held).toEqual(['registration']);
    expect(result.next.registration).toEqual(previous.registration);
  });

  it('keeps the latched state of keys that survived the change', () => {
    const latched = snapshot({ abnormalOperations: [entry('r1', { missingReads: 2 })] });
    const result = diffSnapshots(latched, fetched({ abnormalOperations: [entry('r1')] }), NEW_METHOD);
    expect(result.events).toEqual([]);
    expect(result.next.abnormalOperations).toEqual([entry('r1', { missingReads: 2 })]);
  });

  it('on a first check is an ordinary baseline', () => {
    expect(diffSnapshots(null, fetched({ abnormalOperations: [entry('a1')] }), NEW_METHOD).events).toMatchObject([
      { type: 'abnormal_operations.listed', baseline: true },
    ]);
  });

});
