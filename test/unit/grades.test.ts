/** Grades, strategies and results in words (zh-CN and English), the tier of a grade change, calendar arithmetic. */
import { describe, expect, it } from 'vitest';
import { daysBefore, monthsBefore, yearsBefore } from '../../src/domain/calendar-days.js';
import { gradeFacts } from '../../src/domain/grade-facts.js';
import { gradeResultText, skippedRuleText } from '../../src/domain/grade-text.js';
import { GRADES, gradeChangeTier, gradeLabel } from '../../src/domain/grades.js';
import { DEFAULT_STRATEGIES } from '../../src/domain/strategy.js';
import { gradeStrategyLine, strategyFields, strategyLine } from '../../src/domain/strategy-text.js';
import { latestFigures } from '../../src/domain/trading-figures.js';
import { entry, NOT_FOUND, snapshot } from './domain-fixtures.js';

describe('grade labels', () => {
  it('has a Chinese and an English name for every grade', () => {
    expect(GRADES.map((g) => gradeLabel(g, 'zh-CN'))).toEqual(['优质', '良好', '一般', '风险', '未评级']);
    expect(GRADES.map((g) => gradeLabel(g, 'en'))).toEqual(['excellent', 'good', 'fair', 'risk', 'unrated']);
  });
});

describe('gradeChangeTier', () => {
  it.each([
    { before: 'excellent', after: 'risk', tier: 'high' },
    { before: 'fair', after: 'risk', tier: 'high' },
    { before: 'unrated', after: 'risk', tier: 'high' },
    { before: 'excellent', after: 'good', tier: 'medium' },
    { before: 'good', after: 'fair', tier: 'medium' },
    { before: 'risk', after: 'fair', tier: 'low' },
    { before: 'good', after: 'excellent', tier: 'low' },
    { before: 'unrated', after: 'excellent', tier: 'low' },
    { before: 'good', after: 'good', tier: undefined },
  ] as const)('$before → $after: $tier', ({ before, after, tier }) => {
    expect(gradeChangeTier(before, after)).toBe(tier);
  });
});

describe('strategy in words', () => {
  it('one line for alerts', () => {
    expect(strategyLine(DEFAULT_STRATEGIES.excellent, 'zh-CN')).toBe('账期 60 天，赊销，保证金 0%，新订单正常接单');
    expect(strategyLine(DEFAULT_STRATEGIES.risk, 'zh-CN')).toBe('无账期，预付款，保证金 100%，新订单暂停接单');
    expect(strategyLine(DEFAULT_STRATEGIES.fair, 'en')).toBe('payment term none, cash on delivery, deposit 20%, new orders review required');
    expect(strategyLine(DEFAULT_STRATEGIES.good, 'en')).toBe('payment term 30 days, on credit, deposit 0%, new orders allowed');
  });

  it('the grade with its strategy', () => {
    expect(gradeStrategyLine('risk', DEFAULT_STRATEGIES.risk, 'zh-CN')).toBe('信用等级：风险（无账期，预付款，保证金 100%，新订单暂停接单）');
    expect(gradeStrategyLine('good', DEFAULT_STRATEGIES.good, 'en')).toBe('credit grade: good (payment term 30 days, on credit, deposit 0%, new orders allowed)');
  });

  it('labelled fields for customers show', () => {
    expect(strategyFields(DEFAULT_STRATEGIES.unrated, 'zh-CN')).toEqual([
      { field: 'paymentTermDays', label: '付款账期', value: '无' },
      { field: 'settlement', label: '结算方式', value: '货到付款' },
      { field: 'depositPercent', label: '保证金比例', value: '30%' },
      { field: 'newOrders', label: '新订单', value: '需审批' },
    ]);
    expect(strategyFields(DEFAULT_STRATEGIES.excellent, 'en').map((f) => `${f.label}: ${f.value}`)).toEqual([
      'Payment term: 60 days',
      'Settlement: on credit',
      'Deposit: 0%',
      'New orders: allowed',
    ]);
  });
});

describe('grade results in words', () => {
  const skipped = { rule: 'excellent', grade: 'excellent' as const, sections: [{ section: 'administrativePenalties' as const, reason: 'section_off' as const }] };

  it('names the deciding rule, or that there was no successful check', () => {
    expect(gradeResultText({ grade: 'risk', rule: 'abnormal-operations-in-force', skipped: [] }, 'zh-CN')).toBe('风险（规则 abnormal-operations-in-force）');
    expect(gradeResultText({ grade: 'unrated', rule: null, skipped: [] }, 'en')).toBe('unrated (no successful check yet)');
  });

  it('says why a rule was skipped', () => {
    expect(skippedRuleText(skipped, 'zh-CN')).toBe('跳过规则 excellent（优质）：无法判断行政处罚（provider.sections 未开启）');
    expect(skippedRuleText({ ...skipped, sections: [{ section: 'abnormalOperations', reason: 'section_unread' }] }, 'en')).toBe(
      'skipped rule excellent (excellent): cannot tell the abnormal operations list (not read successfully yet)',
    );
  });
});

describe('gradeFacts', () => {
  it('reads status, entries in force and removed, and leaves unread lists out', () => {
    const facts = gradeFacts(
      snapshot({ abnormalOperations: [entry('a1'), entry('a2', { removedOn: '2026-01-02' }), entry('a3', { missingReads: 2 })], seriousViolations: null }),
      [
        { section: 'abnormalOperations', key: 'a3', listedOn: '2026-11-20', removedOn: '2026-05-05' },
        { section: 'abnormalOperations', key: 'old', listedOn: '2024-01-01', removedOn: null },
        { section: 'seriousViolations', key: 's1', listedOn: '2024-01-01', removedOn: null },
      ],
    );
    expect(facts.registration).toEqual({ status: 'active' });
    expect(facts.lists.abnormalOperations).toEqual([
      { key: 'a1', listedOn: '2026-11-20', state: 'in_force', removedOn: null },
      { key: 'a2', listedOn: '2026-11-20', state: 'removed', removedOn: '2026-01-02' },
      { key: 'a3', listedOn: '2026-11-20', state: 'removed', removedOn: '2026-05-05' },
      { key: 'old', listedOn: '2024-01-01', state: 'past', removedOn: null },
    ]);
    // History does not make a list read that the snapshot never held.
    expect(facts.lists.seriousViolations).toBeUndefined();
    expect(facts.lists.administrativePenalties).toBeUndefined();
  });

  it('keeps not-found as it is, and nothing for a customer never checked', () => {
    expect(gradeFacts(snapshot({ registration: NOT_FOUND })).registration).toEqual(NOT_FOUND);
    expect(gradeFacts(null)).toEqual({ registration: null, lists: {} });
  });
});

describe('latestFigures', () => {
  it('takes the latest asOf, whatever the order', () => {
    const at = (asOf: string) => ({ asOf, onTimePaymentRate: 90, fulfilmentRate: 90, overdueAmount: null, creditLimit: null });
    expect(latestFigures([at('2026-01-31'), at('2026-03-31'), at('2026-02-28')])?.asOf).toBe('2026-03-31');
    expect(latestFigures([])).toBeNull();
  });
});

describe('calendar arithmetic', () => {
  it.each([
    { got: yearsBefore('2026-11-27', 3), want: '2023-11-27' },
    { got: yearsBefore('2024-02-29', 1), want: '2023-02-28' },
    { got: monthsBefore('2026-03-31', 1), want: '2026-02-28' },
    { got: monthsBefore('2026-01-15', 13), want: '2024-12-15' },
    { got: daysBefore('2026-03-01', 1), want: '2026-02-28' },
    { got: daysBefore('2026-11-27', 365), want: '2025-11-27' },
  ])('$got = $want', ({ got, want }) => {
    expect(got).toBe(want);
  });

  it('refuses a day that is not YYYY-MM-DD', () => {
    expect(() => daysBefore('2026/11/27', 1)).toThrow(RangeError);
  });
});
