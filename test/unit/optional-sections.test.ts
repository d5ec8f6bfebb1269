/**
 * The optional sections (administrative penalties, dishonest debtors) follow the list rules:
 * baseline on first read, listed/added once per key, removed on a date or after two reads without
 * it (penalties never), a failed or unfetched section carries forward, a method change re-baselines.
 */
import { describe, expect, it } from 'vitest';
import { diffSnapshots, type FetchedSections } from '../../src/domain/diff.js';
import { toFetchedSections } from '../../src/domain/fetched-sections.js';
import { penaltyReason, type RawSections } from '../../src/domain/sections.js';
import { snapshotHash } from '../../src/domain/snapshot-hash.js';
import type { ListEntry, Snapshot } from '../../src/domain/snapshot.js';
import { DEFAULT_TIER_POLICY, tierFor } from '../../src/domain/tiers.js';
import { entry, fetched, NEW_METHOD, rawEntry, rawRegistration, registration, SAME_METHOD, sha256, snapshot, TRANSIENT } from './domain-fixtures.js';

type Optional = 'administrativePenalties' | 'dishonestDebtors';
type Value = ListEntry[] | 'failed' | 'off';

/** Core sections read, unchanged; the optional ones as given ('off': not fetched at all). */
function read(values: Partial<Record<Optional, Value>>): FetchedSections {
  const base = fetched({ registration: registration(), abnormalOperations: [], seriousViolations: [] });
  for (const section of ['administrativePenalties', 'dishonestDebtors'] as const) {
    const value = values[section] ?? 'off';
    if (value === 'off') continue;
    base[section] = value === 'failed' ? { ok: false, error: TRANSIENT } : { ok: true, value };
  }
  return base;
}

const SAME = SAME_METHOD;
const A = entry('(2018)津0103执1265号', { authority: '天津市河西区人民法院', reason: '有履行能力而拒不履行生效法律文书确定义务' });
const B = entry('京海市监罚字〔2021〕18号', { listedOn: '2021-01-11', reason: '违反广告法；罚款30000元。' });

describe('optional sections in the diff', () => {
  it.each<{ name: string; prev: Snapshot | null; next: FetchedSections; types: string[]; baseline?: boolean; methodChanged?: boolean }>([
    { name: 'dishonest baseline on first read', prev: snapshot(), next: read({ dishonestDebtors: [A] }), types: ['dishonest_debtor.listed'], baseline: true },
    { name: 'penalty baseline on first read', prev: snapshot(), next: read({ administrativePenalties: [B] }), types: ['administrative_penalty.added'], baseline: true },
    { name: 'new customer with both sections', prev: null, next: read({ administrativePenalties: [B], dishonestDebtors: [A] }), types: ['administrative_penalty.added', 'dishonest_debtor.listed'], baseline: true },
    { name: 'baseline skips an entry already removed', prev: snapshot(), next: read({ dishonestDebtors: [{ ...A, removedOn: '2024-01-01' }] }), types: [] },
    { name: 'new dishonest entry', prev: snapshot({ dishonestDebtors: [] }), next: read({ dishonestDebtors: [A] }), types: ['dishonest_debtor.listed'], baseline: false },
    { name: 'new penalty', prev: snapshot({ administrativePenalties: [] }), next: read({ administrativePenalties: [B] }), types: ['administrative_penalty.added'], baseline: false },
    { name: 'known entries: nothing', prev: snapshot({ administrativePenalties: [B], dishonestDebtors: [A] }), next: read({ administrativePenalties: [B], dishonestDebtors: [A] }), types: [] },
    { name: 'dishonest gains a removal date', prev: snapshot({ dishonestDebtors: [A] }), next: read({ dishonestDebtors: [{ ...A, removedOn: '2026-12-01' }] }), types: ['dishonest_debtor.removed'] },
    { name: 'dishonest missing once: nothing yet', prev: snapshot({ dishonestDebtors: [A] }), next: read({ dishonestDebtors: [] }), types: [] },
    { name: 'dishonest missing twice: removed', prev: snapshot({ dishonestDebtors: [{ ...A, missingReads: 1 }] }), next: read({ dishonestDebtors: [] }), types: ['dishonest_debtor.removed'] },
    { name: 'penalty missing twice: never removed', prev: snapshot({ administrativePenalties: [{ ...B, missingReads: 1 }] }), next: read({ administrativePenalties: [] }), types: [] },
    { name: 'penalty back after vanishing: not added again', prev: snapshot({ administrativePenalties: [{ ...B, missingReads: 2 }] }), next: read({ administrativePenalties: [B] }), types: [] },
    { name: 'dishonest back after removal: not listed again', prev: snapshot({ dishonestDebtors: [{ ...A, missingReads: 2 }] }), next: read({ dishonestDebtors: [A] }), types: [] },
    { name: 'failed section: nothing', prev: snapshot({ dishonestDebtors: [{ ...A, missingReads: 1 }] }), next: read({ dishonestDebtors: 'failed' }), types: [] },
    { name: 'failed first read: nothing', prev: snapshot(), next: read({ dishonestDebtors: 'failed' }), types: [] },
    { name: 'section off: nothing', prev: snapshot({ dishonestDebtors: [{ ...A, missingReads: 1 }] }), next: read({}), types: [] },
    { name: 'method change: known listing silent', prev: snapshot({ dishonestDebtors: [entry('old-key', { authority: A.authority })] }), next: read({ dishonestDebtors: [A] }), types: [], methodChanged: true },
    { name: 'method change: unknown listing date is news', prev: snapshot({ dishonestDebtors: [] }), next: read({ dishonestDebtors: [{ ...A, listedOn: '2026-12-24' }] }), types: ['dishonest_debtor.listed'], methodChanged: true },
    { name: 'method change: vanished key not removed', prev: snapshot({ dishonestDebtors: [A] }), next: read({ dishonestDebtors: [] }), types: [], methodChanged: true },
  ])('$name', ({ prev, next, types, baseline, methodChanged }) => {
    const events = diffSnapshots(prev, next, methodChanged === true ? NEW_METHOD : SAME_METHOD).events.filter((e) => !e.type.startsWith('registration.'));
    expect(events.map((e) => e.type)).toEqual(types);
    if (baseline !== undefined) for (const event of events) expect(event.baseline).toBe(baseline);
  });

  it('a failed or unfetched section carries its value forward; never read stays absent', () => {
    const prev = snapshot({ dishonestDebtors: [{ ...A, missingReads: 1 }] });
    expect(diffSnapshots(prev, read({ dishonestDebtors: 'failed' }), SAME).next.dishonestDebtors).toEqual([{ ...A, missingReads: 1 }]);
    expect(diffSnapshots(prev, read({}), SAME).next.dishonestDebtors).toEqual([{ ...A, missingReads: 1 }]);
    const never = diffSnapshots(snapshot(), read({ administrativePenalties: 'failed' }), SAME).next;
    expect('administrativePenalties' in never).toBe(false);
    expect('dishonestDebtors' in never).toBe(false);
  });

  it('a vanished penalty stays in the snapshot (capped), so it is added once in its life', () => {
    let prev = snapshot({ administrativePenalties: [B] });
    for (let i = 0; i < 3; i++) prev = diffSnapshots(prev, read({ administrativePenalties: [] }), SAME).next;
    expect(prev.administrativePenalties).toEqual([{ ...B, missingReads: 2 }]);
  });

  it('a section off across a method change is dropped, so turning it on is a marked baseline', () => {
    const next = diffSnapshots(snapshot({ dishonestDebtors: [A] }), read({}), NEW_METHOD).next;
    expect('dishonestDebtors' in next).toBe(false);
  });

});

describe('snapshot hash with the sections off', () => {
  it('is the hash of the same snapshot before the sections existed', () => {
    const before = { registration: registration(), abnormalOperations: [], seriousViolations: [] };
    const after = diffSnapshots(before, read({}), SAME).next;
    expect(Object.keys(after).sort()).toEqual(['abnormalOperations', 'registration', 'seriousViolations']);
    expect(snapshotHash(after, sha256)).toBe(snapshotHash(before, sha256));
    // Pinned: the canonical form of a snapshot without optional sections must never change.
    expect(snapshotHash({ registration: null, abnormalOperations: null, seriousViolations: null }, sha256)).toBe(
      sha256('{"abnormalOperations":null,"registration":null,"seriousViolations":null}'),
    );
  });

  it('changes once a section is read, even empty', () => {
    const before = snapshot();
    const after = diffSnapshots(before, read({ dishonestDebtors: [] }), SAME).next;
    expect(after.dishonestDebtors).toEqual([]);
    expect(snapshotHash(after, sha256)).not.toBe(snapshotHash(before, sha256));
  });
});

describe('normalising the optional sections', () => {
  const raw = (extra: Partial<RawSections>): RawSections => ({
    registration: { ok: true, value: rawRegistration() },
    abnormalOperations: { ok: true, value: [] },
    seriousViolations: { ok: true, value: [] },
    ...extra,
  });

  it('keys by case or decision number, NFKC: full-width and half-width brackets are one key', () => {
    const sections = toFetchedSections(
      raw({
        dishonestDebtors: { ok: true, value: [rawEntry({ recordId: '（2018）津0103执1265号', listedOn: '1532275200000' })] },
        administrativePenalties: { ok: true, value: [rawEntry({ recordId: '——', listedOn: '2021-01-11' })] },
      }),
      sha256,
    );
    expect(sections.dishonestDebtors).toMatchObject({ ok: true, value: [{ key: '(2018)津0103执1265号', listedOn: '2018-07-23' }] });
    // A placeholder number is no key: the entry is keyed by its facts instead.
    expect(sections.administrativePenalties).toMatchObject({ ok: true, value: [{ key: expect.stringMatching(/^[0-9a-f]{64}$/) }] });
  });

  it('no_data is an empty list; a section not asked for stays absent', () => {
    const sections = toFetchedSections(raw({ dishonestDebtors: { ok: false, error: { kind: 'no_data', message: '' } } }), sha256);
    expect(sections.dishonestDebtors).toEqual({ ok: true, value: [] });
    expect('administrativePenalties' in sections).toBe(false);
  });

  it.each([
    { violation: '违反广告法', penalty: '罚款30000元。', text: '违反广告法；罚款30000元。' },
    { violation: null, penalty: '罚款', text: '罚款' },
    { violation: ' ', penalty: null, text: null },
  ])('penalty text $text', ({ violation, penalty, text }) => {
    expect(penaltyReason(violation, penalty)).toBe(text);
  });
});

describe('tiers of the new event types', () => {
  it.each([
    { type: 'administrative_penalty.added', tier: 'medium' },
    { type: 'dishonest_debtor.listed', tier: 'critical' },
    { type: 'dishonest_debtor.removed', tier: 'info' },
  ] as const)('$type is $tier', ({ type, tier }) => {
    expect(tierFor({ type, baseline: false }, DEFAULT_TIER_POLICY)).toBe(tier);
  });
});
