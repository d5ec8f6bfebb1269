/** Grading with the default rules, and every edge: missing or stale figures, sections off or unread, removals, ties. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_GRADING_RULES } from '../../src/domain/default-grading.js';
import { gradeCustomer, type GradeResult } from '../../src/domain/grade-customer.js';
import { gradeFacts, type HistoricEntry } from '../../src/domain/grade-facts.js';
import { parseGradingRules, type GradingRule } from '../../src/domain/grading-rules.js';
import { NO_OPTIONAL_SECTIONS, type OptionalSections } from '../../src/domain/sections.js';
import type { RegistrationStatus, Snapshot } from '../../src/domain/snapshot.js';
import type { TradingFigures } from '../../src/domain/trading-figures.js';
import { entry, NOT_FOUND, registration, snapshot } from './domain-fixtures.js';

/** 2026-11-27 12:00 in Shanghai (the tests run under TZ=UTC). */
const NOW = Date.parse('2026-11-27T04:00:00Z');
const ALL_ON: OptionalSections = { administrativePenalties: true, dishonestDebtors: true, annualReports: false };

const figures = (overrides: Partial<TradingFigures> = {}): TradingFigures => ({
  asOf: '2026-10-31',
  onTimePaymentRate: 99,
  fulfilmentRate: 100,
  overdueAmount: 0,
  creditLimit: null,
  ...overrides,
});
const EXCELLENT_FIGURES = figures();
const GOOD_FIGURES = figures({ onTimePaymentRate: 92, fulfilmentRate: 96 });

/** A snapshot with every section read (optional ones empty unless given). */
const full = (overrides: Partial<Snapshot> = {}): Snapshot => snapshot({ administrativePenalties: [], dishonestDebtors: [], ...overrides });
const withStatus = (status: RegistrationStatus): Snapshot => full({ registration: registration({ status }) });

const grade = (
  snap: Snapshot | null,
  figs: TradingFigures | null = EXCELLENT_FIGURES,
  sections: OptionalSections = ALL_ON,
  history: HistoricEntry[] = [],
  rules: readonly GradingRule[] = DEFAULT_GRADING_RULES,
): GradeResult => gradeCustomer(rules, gradeFacts(snap, history), figs, sections, NOW);

const decided = (result: GradeResult) => ({ grade: result.grade, rule: result.rule, skipped: result.skipped.map((s) => s.rule) });

const OFF_SKIPS = ['dishonest-debtor-in-force', 'dishonest-debtor-removed-recently', 'excellent'];

describe('gradeCustomer: the default rules', () => {
  it.each([
    { name: 'never checked', snap: null, expected: { grade: 'unrated', rule: null, skipped: [] } },
    { name: 'registration never read', snap: full({ registration: null }), expected: { grade: 'unrated', rule: null, skipped: [] } },
    { name: 'no such company', snap: full({ registration: NOT_FOUND }), expected: { grade: 'risk', rule: 'not-found', skipped: [] } },
    { name: 'revoked', snap: withStatus('revoked'), expected: { grade: 'risk', rule: 'terminal-status', skipped: [] } },
    { name: 'cancelled', snap: withStatus('cancelled'), expected: { grade: 'risk', rule: 'terminal-status', skipped: [] } },
    { name: 'withdrawn', snap: withStatus('withdrawn'), expected: { grade: 'risk', rule: 'terminal-status', skipped: [] } },
    { name: 'on the serious list', snap: full({ seriousViolations: [entry('s1')] }), expected: { grade: 'risk', rule: 'serious-violation-in-force', skipped: [] } },
    { name: 'on the abnormal list', snap: full({ abnormalOperations: [entry('a1')] }), expected: { grade: 'risk', rule: 'abnormal-operations-in-force', skipped: [] } },
    { name: 'a dishonest debtor', snap: full({ dishonestDebtors: [entry('d1')] }), expected: { grade: 'risk', rule: 'dishonest-debtor-in-force', skipped: [] } },
    { name: 'liquidating', snap: withStatus('liquidating'), expected: { grade: 'risk', rule: 'liquidating', skipped: [] } },
    { name: 'suspended', snap: withStatus('suspended'), expected: { grade: 'fair', rule: 'not-active', skipped: [] } },
    { name: 'relocated out', snap: withStatus('relocated_out'), expected: { grade: 'fair', rule: 'not-active', skipped: [] } },
    { name: 'unknown status', snap: withStatus('unknown'), expected: { grade: 'fair', rule: 'not-active', skipped: [] } },
    { name: 'clean record, excellent figures', snap: full(), expected: { grade: 'excellent', rule: 'excellent', skipped: [] } },
    { name: 'clean record, good figures', snap: full(), figs: GOOD_FIGURES, expected: { grade: 'good', rule: 'good', skipped: [] } },
    { name: 'clean record, weaker figures', snap: full(), figs: figures({ onTimePaymentRate: 85 }), expected: { grade: 'fair', rule: 'fallback', skipped: [] } },
    { name: 'clean record, no figures', snap: full(), figs: null, expected: { grade: 'fair', rule: 'no-figures', skipped: [] } },
    {
      name: 'a penalty within 3 years stops excellent',
      snap: full({ administrativePenalties: [entry('p1', { listedOn: '2024-06-01', missingReads: 2 })] }),
      expected: { grade: 'good', rule: 'good', skipped: [] },
    },
    {
      name: 'an undated penalty counts as recent',
      snap: full({ administrativePenalties: [entry('p1', { listedOn: null })] }),
      expected: { grade: 'good', rule: 'good', skipped: [] },
    },
    {
      name: 'a serious listing within 3 years, long removed, stops excellent',
      snap: full({ seriousViolations: [entry('s1', { listedOn: '2024-01-05', removedOn: '2024-11-20' })] }),
      expected: { grade: 'good', rule: 'good', skipped: [] },
    },
  ])('$name → $expected.grade ($expected.rule)', ({ snap, figs, expected }) => {
    expect(decided(grade(snap, figs === undefined ? EXCELLENT_FIGURES : figs))).toEqual(expected);
  });

  it('a listing decides before the figures: risk whatever the trading record', () => {
    expect(grade(full({ abnormalOperations: [entry('a1')] }), EXCELLENT_FIGURES).grade).toBe('risk');
  });

  it('not found comes first, even over a stale list in force', () => {
    expect(grade(full({ registration: NOT_FOUND, abnormalOperations: [entry('a1')] })).rule).toBe('not-found');
  });
});

describe('gradeCustomer: rate and date boundaries', () => {
  it.each([
    { name: 'on-time exactly 98, fulfilment exactly 100', figs: figures({ onTimePaymentRate: 98 }), rule: 'excellent' },
    { name: 'on-time 97.99', figs: figures({ onTimePaymentRate: 97.99 }), rule: 'good' },
    { name: 'fulfilment 99.9', figs: figures({ fulfilmentRate: 99.9 }), rule: 'good' },
    { name: 'good exactly at 90 and 95', figs: figures({ onTimePaymentRate: 90, fulfilmentRate: 95 }), rule: 'good' },
    { name: 'on-time 89.9', figs: figures({ onTimePaymentRate: 89.9, fulfilmentRate: 95 }), rule: 'fallback' },
    { name: 'figures exactly 365 days old are fresh', figs: figures({ asOf: '2025-11-27' }), rule: 'excellent' },
    { name: 'figures 366 days old are stale', figs: figures({ asOf: '2025-11-26' }), rule: 'stale-figures' },
    { name: 'figures two years old are stale', figs: figures({ asOf: '2024-11-01' }), rule: 'stale-figures' },
  ])('$name → $rule', ({ figs, rule }) => {
    expect(grade(full(), figs).rule).toBe(rule);
  });

  it.each([
    { listedOn: '2023-11-27', rule: 'excellent', why: 'exactly 3 years ago is no longer within 3 years' },
    { listedOn: '2023-11-28', rule: 'good', why: 'a day less than 3 years ago' },
  ])('a penalty of $listedOn → $rule ($why)', ({ listedOn, rule }) => {
    expect(grade(full({ administrativePenalties: [entry('p1', { listedOn })] })).rule).toBe(rule);
  });

  it('reads today on the Shanghai calendar: 2026-11-26T16:30Z is already 2026-11-27 there', () => {
    const lateUtc = Date.parse('2026-11-26T16:30:00Z');
    const result = gradeCustomer(DEFAULT_GRADING_RULES, gradeFacts(full()), figures({ asOf: '2025-11-27' }), ALL_ON, lateUtc);
    expect(result.rule).toBe('excellent');
    const earlier = gradeCustomer(DEFAULT_GRADING_RULES, gradeFacts(full()), figures({ asOf: '2025-11-26' }), ALL_ON, lateUtc);
    expect(earlier.rule).toBe('stale-figures');
  });
});

describe('gradeCustomer: recovery after a removal', () => {
  const abnormalRemovedOn = (removedOn: string) => full({ abnormalOperations: [entry('a1', { listedOn: '2025-03-01', removedOn })] });

  it.each([
    { removedOn: '2026-11-20', rule: 'abnormal-operations-removed-recently' },
    { removedOn: '2025-11-28', rule: 'abnormal-operations-removed-recently' },
    { removedOn: '2025-11-27', rule: 'excellent' },
  ])('abnormal listing removed on $removedOn → $rule (recovers 12 months after removal)', ({ removedOn, rule }) => {
    expect(grade(abnormalRemovedOn(removedOn)).rule).toBe(rule);
  });

  it.each([
    { removedOn: '2024-11-28', rule: 'serious-violation-removed-recently' },
    // Removed more than 24 months ago, but listed less than 3 years ago: good, not yet excellent.
    { removedOn: '2024-11-27', rule: 'good' },
  ])('serious listing removed on $removedOn → $rule', ({ removedOn, rule }) => {
    expect(grade(full({ seriousViolations: [entry('s1', { listedOn: '2024-01-05', removedOn })] })).rule).toBe(rule);
  });

  it('the recovery time is configuration: 3 months instead of 12', () => {
    const rules = DEFAULT_GRADING_RULES.map((rule) =>
      rule.name === 'abnormal-operations-removed-recently' ? { ...rule, when: { abnormalOperations: { removedWithinMonths: 3 } } } : rule,
    );
    expect(grade(abnormalRemovedOn('2026-08-28'), EXCELLENT_FIGURES, ALL_ON, [], rules).rule).toBe('abnormal-operations-removed-recently');
    expect(grade(abnormalRemovedOn('2026-08-27'), EXCELLENT_FIGURES, ALL_ON, [], rules).rule).toBe('excellent');
  });

  it('a removal seen only as missing reads is dated from history, else counts as recent', () => {
    const gone = full({ abnormalOperations: [entry('a1', { listedOn: '2024-03-01', missingReads: 2 })] });
    expect(grade(gone).rule).toBe('abnormal-operations-removed-recently');
    const history: HistoricEntry[] = [{ section: 'abnormalOperations', key: 'a1', listedOn: '2024-03-01', removedOn: '2025-01-10' }];
    expect(grade(gone, EXCELLENT_FIGURES, ALL_ON, history).rule).toBe('excellent');
  });

  it('a single missing read is still in force', () => {
    expect(grade(full({ abnormalOperations: [entry('a1', { missingReads: 1 })] })).rule).toBe('abnormal-operations-in-force');
  });

  it('history keeps a listing the snapshot lost (re-baseline, GSXT hiding a repaired listing)', () => {
    const history: HistoricEntry[] = [{ section: 'administrativePenalties', key: 'old-key', listedOn: '2025-05-01', removedOn: null }];
    expect(grade(full(), EXCELLENT_FIGURES, ALL_ON, history).rule).toBe('good');
  });
});

describe('gradeCustomer: sections switched off or unread', () => {
  it('with the optional sections off (the default) excellent cannot be given, and the result says why', () => {
    const result = grade(snapshot(), EXCELLENT_FIGURES, NO_OPTIONAL_SECTIONS);
    expect(decided(result)).toEqual({ grade: 'good', rule: 'good', skipped: OFF_SKIPS });
    expect(result.skipped.find((s) => s.rule === 'excellent')).toEqual({
      rule: 'excellent',
      grade: 'excellent',
      sections: [{ section: 'administrativePenalties', reason: 'section_off' }],
    });
  });

  it('a switched-off section is not read even if an old snapshot still holds it', () => {
    const stale = full({ dishonestDebtors: [entry('d1')] });
    expect(decided(grade(stale, GOOD_FIGURES, { administrativePenalties: true, dishonestDebtors: false, annualReports: false }))).toEqual({
      grade: 'good',
      rule: 'good',
      skipped: ['dishonest-debtor-in-force', 'dishonest-debtor-removed-recently'],
    });
  });

  it('a rule with a condition known to be false is not skipped, only unmatched', () => {
    const result = grade(snapshot(), GOOD_FIGURES, NO_OPTIONAL_SECTIONS);
    // excellent needs penalties (off) but its figures are already false: not reported as skipped.
    expect(result.skipped.map((s) => s.rule)).toEqual(['dishonest-debtor-in-force', 'dishonest-debtor-removed-recently']);
  });

  it('a section switched on but never read successfully is skipped as unread', () => {
    const result = grade(snapshot({ abnormalOperations: null }), EXCELLENT_FIGURES, { administrativePenalties: true, dishonestDebtors: false, annualReports: false });
    expect(result.rule).toBe('good');
    expect(result.skipped).toEqual([
      { rule: 'abnormal-operations-in-force', grade: 'risk', sections: [{ section: 'abnormalOperations', reason: 'section_unread' }] },
      { rule: 'dishonest-debtor-in-force', grade: 'risk', sections: [{ section: 'dishonestDebtors', reason: 'section_off' }] },
      { rule: 'abnormal-operations-removed-recently', grade: 'fair', sections: [{ section: 'abnormalOperations', reason: 'section_unread' }] },
      { rule: 'dishonest-debtor-removed-recently', grade: 'fair', sections: [{ section: 'dishonestDebtors', reason: 'section_off' }] },
      { rule: 'excellent', grade: 'excellent', sections: [{ section: 'administrativePenalties', reason: 'section_unread' }] },
    ]);
  });

  it('only rules before the deciding one are reported', () => {
    expect(grade(snapshot({ registration: NOT_FOUND }), null, NO_OPTIONAL_SECTIONS).skipped).toEqual([]);
  });
});

describe('gradeCustomer: rule order and vocabulary', () => {
  const rules = (list: unknown[]): GradingRule[] => {
    const parsed = parseGradingRules(list);
    if (!parsed.ok) throw new Error(parsed.problem);
    return parsed.rules;
  };

  it('ties: when two rules match, the first in the list decides', () => {
    const both = rules([
      { name: 'first', grade: 'good', when: { statusIn: ['active'] } },
      { name: 'second', grade: 'excellent', when: { statusIn: ['active'] } },
      { name: 'fallback', grade: 'fair', when: {} },
    ]);
    expect(grade(full(), null, ALL_ON, [], both)).toEqual({ grade: 'good', rule: 'first', skipped: [] });
    const swapped = [both[1]!, both[0]!, both[2]!];
    expect(grade(full(), null, ALL_ON, [], swapped)).toEqual({ grade: 'excellent', rule: 'second', skipped: [] });
  });

  it.each([
    { when: { notFound: false }, snap: full(), matches: true },
    { when: { notFound: false }, snap: full({ registration: NOT_FOUND }), matches: false },
    { when: { statusIn: ['active'] }, snap: full({ registration: NOT_FOUND }), matches: false },
    { when: { abnormalOperations: { inForce: false } }, snap: full({ abnormalOperations: [entry('a', { removedOn: '2020-01-01' })] }), matches: true },
    { when: { abnormalOperations: { anyWithinYears: 1 } }, snap: full({ abnormalOperations: [entry('a', { listedOn: '2026-01-01', removedOn: '2026-02-01' })] }), matches: true },
    { when: { abnormalOperations: { anyWithinYears: 1 } }, snap: full({ abnormalOperations: [entry('a', { listedOn: '2025-01-01' })] }), matches: false },
    { when: { abnormalOperations: { removedWithinMonths: 6 } }, snap: full({ abnormalOperations: [entry('a')] }), matches: false },
    { when: { figures: { present: true } }, snap: full(), figs: null, matches: false },
    { when: { figures: { overdueAmountAtMost: 1000 } }, snap: full(), figs: figures({ overdueAmount: 1000 }), matches: true },
    { when: { figures: { overdueAmountAtMost: 1000 } }, snap: full(), figs: figures({ overdueAmount: 1000.01 }), matches: false },
    { when: { figures: { overdueAmountAtMost: 1000 } }, snap: full(), figs: figures({ overdueAmount: null }), matches: false },
    { when: { figures: { olderThanDays: 30 } }, snap: full(), figs: figures({ asOf: '2026-10-27' }), matches: true },
    { when: { figures: { olderThanDays: 30 } }, snap: full(), figs: figures({ asOf: '2026-10-28' }), matches: false },
    { when: { figures: { olderThanDays: 30 } }, snap: full(), figs: null, matches: false },
  ])('$when on the case → $matches', ({ when, snap, figs, matches }) => {
    const list = rules([{ name: 'probe', grade: 'risk', when }, { name: 'fallback', grade: 'fair', when: {} }]);
    expect(grade(snap, figs === undefined ? EXCELLENT_FIGURES : figs, ALL_ON, [], list).rule).toBe(matches ? 'probe' : 'fallback');
  });

  it('throws for a list without a fallback (configuration never lets one through)', () => {
    const noFallback: GradingRule[] = [{ name: 'x', grade: 'risk', when: { notFound: true } }];
    expect(() => grade(full(), null, ALL_ON, [], noFallback)).toThrow(/fallback/);
  });
});
