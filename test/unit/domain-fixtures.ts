/** Builders shared by the domain unit tests. */
import { createHash } from 'node:crypto';
import type { DiffContext } from '../../src/domain/diff.js';
import type { EventDraft } from '../../src/domain/events.js';
import type { FetchedSections } from '../../src/domain/fetched-sections.js';
import type { Hash } from '../../src/domain/hash.js';
import { SECTION_NAMES, type ProviderError, type RawListEntry, type RawRegistration } from '../../src/domain/sections.js';
import type { ListEntry, NotFound, Registration, Snapshot } from '../../src/domain/snapshot.js';
import { DEFAULT_TIER_POLICY, tierFor } from '../../src/domain/tiers.js';

export const sha256: Hash = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

export function rawRegistration(overrides: Partial<RawRegistration> = {}): RawRegistration {
  return {
    creditCode: '91440300708461136T',
    name: '深圳市腾讯计算机系统有限公司',
    statusText: '存续（在营、开业、在册）',
    legalRepresentative: '马化腾',
    registeredCapitalText: '6500万人民币',
    address: '深圳市南山区粤海街道麻岭社区科技中一路腾讯大厦35层',
    businessScope: '计算机软、硬件的设计、技术开发、销售',
    establishedOn: '1998-11-11',
    ...overrides,
  };
}

export function registration(overrides: Partial<Registration> = {}): Registration {
  return {
    name: '深圳市腾讯计算机系统有限公司',
    status: 'active',
    statusRaw: '存续(在营、开业、在册)',
    legalRepresentative: '马化腾',
    registeredCapital: { amount: 65_000_000, currency: 'CNY' },
    address: '深圳市南山区粤海街道麻岭社区科技中一路腾讯大厦35层',
    businessScope: '计算机软、硬件的设计、技术开发、销售',
    establishedOn: '1998-11-11',
    ...overrides,
  };
}

export function rawEntry(overrides: Partial<RawListEntry> = {}): RawListEntry {
  return {
    recordId: null,
    listedOn: '2026-11-20',
    reason: '通过登记的住所或者经营场所无法联系的',
    authority: '深圳市市场监督管理局',
    removedOn: null,
    removalReason: null,
    ...overrides,
  };
}

export function entry(key: string, overrides: Partial<ListEntry> = {}): ListEntry {
  return {
    key,
    listedOn: '2026-11-20',
    reason: '通过登记的住所或者经营场所无法联系的',
    authority: '深圳市市场监督管理局',
    removedOn: null,
    removalReason: null,
    missingReads: 0,
    ...overrides,
  };
}

export function snapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return { registration: registration(), abnormalOperations: [], seriousViolations: [], ...overrides };
}

export const NOT_FOUND: NotFound = { notFound: true };

export const TRANSIENT: ProviderError = { kind: 'transient', message: 'HTTP 503' };

/** Every section read successfully with these values; override one section to fail it. */
export function fetched(
  values: { registration?: Registration | NotFound; abnormalOperations?: ListEntry[]; seriousViolations?: ListEntry[] } = {},
  failedSections: (keyof FetchedSections)[] = [],
): FetchedSections {
  const fail = { ok: false as const, error: TRANSIENT };
  return {
    registration: failedSections.includes('registration')
      ? fail
      : { ok: true, value: values.registration ?? registration() },
    abnormalOperations: failedSections.includes('abnormalOperations')
      ? fail
      : { ok: true, value: values.abnormalOperations ?? [] },
    seriousViolations: failedSections.includes('seriousViolations')
      ? fail
      : { ok: true, value: values.seriousViolations ?? [] },
  };
}

export const SAME_METHOD: DiffContext = { changedSections: new Set() };
export const NEW_METHOD: DiffContext = { changedSections: new Set(SECTION_NAMES) };

/** What an operator would see of each event: type, tier under the default policy, baseline flag. */
export function summary(events: EventDraft[]): { type: string; tier: string; baseline: boolean }[] {
  return events.map((e) => ({ type: e.type, tier: tierFor(e, DEFAULT_TIER_POLICY), baseline: e.baseline }));
}
