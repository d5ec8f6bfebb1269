/** Whether a check may set the grade from what it read, and the grade.changed event it raises. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_GRADING_RULES } from '../../src/domain/default-grading.js';
import { historicEntries, type EntryEvent } from '../../src/domain/entry-history.js';
import { decideGrade, gradeChangeDraft, readSections, type GradingPolicy } from '../../src/domain/grade-decision.js';
import { gradeFacts } from '../../src/domain/grade-facts.js';
import type { Grade } from '../../src/domain/grades.js';
import type { SectionName } from '../../src/domain/sections.js';
import type { Snapshot } from '../../src/domain/snapshot.js';
import { DEFAULT_STRATEGIES } from '../../src/domain/strategy.js';
import { DEFAULT_TIER_POLICY, tierFor } from '../../src/domain/tiers.js';
import type { TradingFigures } from '../../src/domain/trading-figures.js';
import { entry, NOT_FOUND, registration, snapshot } from './domain-fixtures.js';

const NOW = Date.parse('2026-11-27T04:00:00Z');
const POLICY: GradingPolicy = { rules: DEFAULT_GRADING_RULES, strategies: DEFAULT_STRATEGIES, enabledSections: { administrativePenalties: true, dishonestDebtors: false, annualReports: false } };
const EXCELLENT: TradingFigures = { asOf: '2026-10-31', onTimePaymentRate: 99, fulfilmentRate: 100, overdueAmount: 0, creditLimit: null };

const clean = (overrides: Partial<Snapshot> = {}): Snapshot => snapshot({ administrativePenalties: [], ...overrides });
const decide = (snap: Snapshot, unread: SectionName[] = [], figures: TradingFigures | null = EXCELLENT) =>
  decideGrade(POLICY, gradeFacts(readSections(snap, unread)), figures, NOW);
const outcome = (result: ReturnType<typeof decide>) => (result.kind === 'graded' ? `${result.grade} (${result.rule})` : 'undetermined');

describe('decideGrade: only from what was read', () => {
  it.each<{ name: string; snap: Snapshot; unread?: SectionName[]; figures?: TradingFigures | null; expected: string }>([
    { name: 'everything read, clean, excellent figures', snap: clean(), expected: 'excellent (excellent)' },
    { name: 'registration failed: nothing decides', snap: clean(), unread: ['registration'], expected: 'undetermined' },
    { name: 'abnormal list failed: it could make the customer risk', snap: clean(), unread: ['abnormalOperations'], expected: 'undetermined' },
    { name: 'penalties failed: they could cost excellent', snap: clean(), unread: ['administrativePenalties'], expected: 'undetermined' },
    { name: 'revoked while the lists failed: risk all the same', snap: clean({ registration: registration({ status: 'revoked' }) }), unread: ['abnormalOperations', 'seriousViolations'], expected: 'risk (terminal-status)' },
    { name: 'not found while a list failed', snap: clean({ registration: NOT_FOUND }), unread: ['seriousViolations'], expected: 'risk (not-found)' },
    { name: 'a listing read while the serious list failed: risk either way', snap: clean({ abnormalOperations: [entry('a1')] }), unread: ['seriousViolations'], expected: 'risk (abnormal-operations-in-force)' },
    { name: 'a listing read while the penalties failed', snap: clean({ abnormalOperations: [entry('a1')] }), unread: ['administrativePenalties'], expected: 'risk (abnormal-operations-in-force)' },
    { name: 'a list switched off never matches: it does not hold the grade back', snap: clean(), figures: null, expected: 'fair (no-figures)' },
    { name: 'a section never read yet is not read', snap: snapshot(), expected: 'undetermined' },
  ])('$name: $expected', ({ snap, unread = [], figures = EXCELLENT, expected }) => {
    expect(outcome(decide(snap, unread, figures))).toBe(expected);
  });

  it('reads a failed optional section as not read, though the snapshot carries it forward', () => {
    const snap = clean({ administrativePenalties: [entry('p1', { listedOn: '2026-01-01' })] });
    expect(readSections(snap, ['administrativePenalties'])).toEqual({ registration: snap.registration, abnormalOperations: [], seriousViolations: [] });
    expect(readSections(snap, ['registration']).registration).toBeNull();
    expect(outcome(decide(snap))).toBe('good (good)');
  });
});

describe('gradeChangeDraft', () => {
  const decided = (grade: 'excellent' | 'good' | 'fair' | 'risk', rule = 'r') => ({ grade, rule });

  it.each<{ before: Grade; after: 'excellent' | 'good' | 'fair' | 'risk'; tier: string | null; baseline?: boolean }>([
    { before: 'good', after: 'risk', tier: 'high' },
    { before: 'excellent', after: 'fair', tier: 'medium' },
    { before: 'excellent', after: 'good', tier: 'medium' },
    { before: 'fair', after: 'good', tier: 'low' },
    { before: 'risk', after: 'fair', tier: 'low' },
    { before: 'unrated', after: 'risk', tier: 'high', baseline: true },
    { before: 'unrated', after: 'excellent', tier: null },
    { before: 'unrated', after: 'fair', tier: null },
    { before: 'good', after: 'good', tier: null },
  ])('$before → $after: $tier', ({ before, after, tier, baseline = false }) => {
    const draft = gradeChangeDraft(before, decided(after), DEFAULT_STRATEGIES);
    if (tier === null) {
      expect(draft).toBeNull();
      return;
    }
    expect(draft).toEqual({
      type: 'grade.changed',
      baseline,
      change: { field: 'grade', before, after },
      grade: { grade: after, rule: 'r' },
      strategy: DEFAULT_STRATEGIES[after],
    });
    expect(tierFor(draft!, DEFAULT_TIER_POLICY)).toBe(tier);
  });

  it('a tier override in config applies to grade changes too', () => {
    const draft = gradeChangeDraft('good', decided('fair'), DEFAULT_STRATEGIES)!;
    expect(tierFor(draft, { overrides: { 'grade.changed': 'high' } })).toBe('high');
  });
});

describe('historicEntries', () => {
  it('merges the events of one entry: listed, then removed with a date or on the day it was seen missing', () => {
    const e1 = entry('k1');
    const events: EntryEvent[] = [
      { type: 'abnormal_operations.listed', entry: e1, detectedOn: '2026-01-05' },
      { type: 'abnormal_operations.removed', entry: { ...e1, removedOn: null }, detectedOn: '2026-06-01' },
      { type: 'serious_violation.listed', entry: entry('k1', { listedOn: null }), detectedOn: '2026-01-05' },
      { type: 'serious_violation.removed', entry: entry('k1', { removedOn: '2026-03-01' }), detectedOn: '2026-04-01' },
      { type: 'administrative_penalty.added', entry: entry('p1', { listedOn: '2025-02-02' }), detectedOn: '2026-01-05' },
      { type: 'monitoring.degraded', entry: entry('x'), detectedOn: '2026-01-05' },
    ];
    expect(historicEntries(events)).toEqual([
      { section: 'abnormalOperations', key: 'k1', listedOn: '2026-11-20', removedOn: '2026-06-01' },
      { section: 'seriousViolations', key: 'k1', listedOn: null, removedOn: '2026-03-01' },
      { section: 'administrativePenalties', key: 'p1', listedOn: '2025-02-02', removedOn: null },
    ]);
  });
});
