import type { EventMessage } from '../../src/notify/channel.js';

/** A critical, non-baseline serious-violation listing for 示例贸易有限公司: the canonical email example. */
export function seriousViolationMessage(overrides: Partial<EventMessage> = {}): EventMessage {
  return {
    id: 'evt_3f9a1c2b7d',
    type: 'serious_violation.listed',
    tier: 'critical',
    baseline: false,
    detectedAt: '2026-11-27T08:00:00.000Z',
    customer: { uscc: '91440300708461136T', name: '示例贸易有限公司', tags: ['华南', '大客户'] },
    entry: {
      key: 'sv-001',
      listedOn: '2026-11-20',
      reason: '被列入经营异常名录届满3年仍未履行相关义务',
      authority: '深圳市市场监督管理局',
      removedOn: null,
      removalReason: null,
    },
    source: 'tianyancha',
    ...overrides,
  };
}

/** A medium field change (legal representative), for digests and "before → after" rendering. */
export function legalRepresentativeMessage(overrides: Partial<EventMessage> = {}): EventMessage {
  return {
    id: 'evt_lr_0001',
    type: 'registration.legal_representative_changed',
    tier: 'medium',
    baseline: false,
    detectedAt: '2026-11-27T02:30:00.000Z',
    customer: { uscc: '914403001922038216', name: '甲乙丙科技有限公司', tags: [] },
    change: { field: 'legalRepresentative', before: '张三', after: '李四' },
    source: 'qichacha',
    ...overrides,
  };
}

/** A high grade change (good → risk) with its rule and the risk grade's default strategy. */
export function gradeChangedMessage(overrides: Partial<EventMessage> = {}): EventMessage {
  return {
    id: 'evt_grade_0001',
    type: 'grade.changed',
    tier: 'high',
    baseline: false,
    detectedAt: '2026-11-27T08:00:00.000Z',
    customer: { uscc: '91440300708461136T', name: '示例贸易有限公司', tags: [] },
    change: { field: 'grade', before: 'good', after: 'risk' },
    grade: { grade: 'risk', rule: 'abnormal-operations-in-force' },
    strategy: { paymentTermDays: 0, settlement: 'prepayment', depositPercent: 100, newOrders: 'blocked' },
    source: 'tianyancha',
    ...overrides,
  };
}
