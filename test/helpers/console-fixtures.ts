/** Sample data for every console page, with provider text replaced by a hostile payload wherever it can appear. */
import type { CaseDetailView, CaseView } from '../../src/app/case-view.js';
import type { Role } from '../../src/domain/api-tokens.js';
import type {
  CaseListData,
  CustomerListData,
  CustomerPageData,
  ImportPageData,
  InboxData,
  OverviewData,
  PageContext,
  SettingsData,
} from '../../src/http/console/page-data.js';
import type { Lang } from '../../src/http/console/i18n.js';
import type { EventView } from '../../src/store/event-view.js';
import { validUscc } from './valid-uscc.js';

export const HOSTILE = '<img src=x onerror=alert(1)>';
export const HOSTILE_ESCAPED = '&lt;img src=x onerror=alert(1)&gt;';
export const CSRF = 'csrf-"token\'<x>';
export const USCC = validUscc(42);

export function context(lang: Lang, role: Role, path = '/'): PageContext {
  return { lang, role, tokenName: `ops ${HOSTILE}`, csrfToken: CSRF, path, query: `tier=critical&q=${encodeURIComponent(HOSTILE)}`, notice: `done ${HOSTILE}` };
}

const customer = { uscc: USCC, name: HOSTILE };

export const EVENTS: EventView[] = [
  {
    id: 'e1',
    type: 'serious_violation.listed',
    tier: 'critical',
    baseline: false,
    detectedAt: '2026-11-27T08:00:00.000Z',
    customer,
    entry: { key: 'k1', listedOn: '2026-11-20', reason: HOSTILE, authority: HOSTILE, removedOn: null, removalReason: null },
    caseId: 'C-0123456789abcdef',
  },
  {
    id: 'e2',
    type: 'registration.legal_representative_changed',
    tier: 'medium',
    baseline: false,
    detectedAt: '2026-11-26T01:00:00.000Z',
    customer,
    change: { field: 'legalRepresentative', before: HOSTILE, after: `李四${HOSTILE}` },
    acknowledgedAt: '2026-11-26T02:00:00.000Z',
    acknowledgedBy: HOSTILE,
  },
  {
    id: 'e3',
    type: 'grade.changed',
    tier: 'high',
    baseline: false,
    detectedAt: '2026-11-25T01:00:00.000Z',
    customer,
    change: { field: 'grade', before: 'good', after: 'risk' },
  },
  {
    id: 'e4',
    type: 'registration.status_changed',
    tier: 'critical',
    baseline: true,
    detectedAt: '2026-11-24T01:00:00.000Z',
    customer,
    change: { field: 'status', before: 'active', after: 'revoked' },
  },
];

export const CASE: CaseView = {
  id: 'C-0123456789abcdef',
  state: 'open',
  tier: 'critical',
  customer,
  openedAt: '2026-11-27T08:00:00.000Z',
  assignee: HOSTILE,
  acknowledgedAt: null,
  acknowledgedBy: null,
  acknowledgementNote: null,
  resolvedAt: null,
  resolvedBy: null,
  decision: null,
  resolutionNote: null,
  dueAt: '2026-11-30T16:00:00.000Z',
  overdue: ['acknowledge'],
  deadlines: {
    acknowledge: { day: '2026-11-30', dueAt: '2026-11-30T16:00:00.000Z', provisional: false, overdueRaisedAt: '2026-12-01T00:00:00.000Z' },
    resolve: { day: '2027-01-05', dueAt: '2027-01-05T16:00:00.000Z', provisional: true },
  },
};

export const RESOLVED_CASE: CaseView = {
  ...CASE,
  id: 'C-fedcba9876543210',
  state: 'resolved',
  acknowledgedAt: '2026-11-28T01:00:00.000Z',
  acknowledgedBy: HOSTILE,
  acknowledgementNote: HOSTILE,
  resolvedAt: '2026-11-29T01:00:00.000Z',
  resolvedBy: HOSTILE,
  decision: 'restrict',
  resolutionNote: HOSTILE,
  dueAt: null,
  overdue: [],
};

export const CASE_DETAIL: CaseDetailView = {
  ...CASE,
  events: [{ id: 'e1', type: 'serious_violation.listed', tier: 'critical', detectedAt: '2026-11-27T08:00:00.000Z', acknowledgedAt: null }],
  deliveries: [{ eventId: 'e1', channel: 'webhook', target: HOSTILE, status: 'dead', attempts: 8, lastError: HOSTILE }],
  audit: [{ at: '2026-11-27T08:00:00.000Z', actor: HOSTILE, action: 'case.opened', details: { note: HOSTILE } }],
};

export const OVERVIEW: OverviewData = {
  eventsByTier: { '24h': { critical: 2, high: 1 }, '7d': { critical: 5, high: 3, medium: 7, low: 1 }, '30d': { critical: 9, high: 8, medium: 20, low: 4, info: 30 } },
  grades: { excellent: 10, good: 40, fair: 5, risk: 2, unrated: 1 },
  failing: { count: 12, customers: [{ uscc: USCC, name: HOSTILE, consecutiveFailures: 3, lastError: HOSTILE }] },
  deadDeliveries: 4,
  providerCalls: { today: 1234, dailyBudget: 5000 },
  cases: { open: 3, acknowledged: 2, overdue: 1 },
  calendarWarning: '工作日历缺少2027年的节假日数据，跨年期限按周一至周五计算并标记为暂定 / the working-day calendar has no data for 2027: deadlines reaching it count Monday–Friday and are marked provisional',
};

export const INBOX: InboxData = { events: { items: EVENTS, total: 40, next: 'cursor-2' }, filter: { tier: 'critical', state: 'all', uscc: HOSTILE } };

export const CASES: CaseListData = { cases: { items: [CASE, RESOLVED_CASE], total: 2, next: null }, filter: { state: 'open', overdue: true } };

export const CUSTOMERS: CustomerListData = {
  customers: {
    items: [
      { uscc: USCC, name: HOSTILE, tags: [HOSTILE, 'east'], paused: false, lastCheckedAt: Date.UTC(2026, 10, 27), consecutiveFailures: 2, lastError: HOSTILE, grade: 'risk' },
      { uscc: validUscc(43), name: '示例贸易有限公司', tags: [], paused: true, lastCheckedAt: null, consecutiveFailures: 0, lastError: null, grade: 'unrated', removedAt: null },
    ],
    total: 2,
    next: 'c2',
  },
  filter: { search: HOSTILE, grade: 'risk', state: 'failing', tier: 'critical', tag: HOSTILE },
};

export const CUSTOMER: CustomerPageData = {
  customer: {
    uscc: USCC,
    name: HOSTILE,
    tags: [HOSTILE],
    paused: false,
    lastCheckedAt: Date.UTC(2026, 10, 27),
    nextCheckAt: null,
    consecutiveFailures: 1,
    lastError: HOSTILE,
    removedAt: null,
  },
  snapshotAt: '2026-11-27T08:00:00.000Z',
  registration: {
    name: HOSTILE,
    status: 'revoked',
    statusRaw: HOSTILE,
    legalRepresentative: HOSTILE,
    registeredCapital: { amount: 10_000_000, currency: 'CNY' },
    address: HOSTILE,
    businessScope: HOSTILE,
    establishedOn: '2010-01-01',
  },
  lists: {
    seriousViolations: { inForce: [{ key: 'k1', listedOn: '2026-11-20', reason: HOSTILE, authority: HOSTILE, removedOn: null, removalReason: null }], removed: [] },
    abnormalOperations: { inForce: [], removed: [{ key: 'k2', listedOn: '2024-01-01', reason: HOSTILE, authority: null, removedOn: '2025-01-01', removalReason: HOSTILE }] },
  },
  grade: {
    grade: 'risk',
    label: '风险',
    rule: 'serious-violation-in-force',
    gradedAt: '2026-11-27T08:00:00.000Z',
    text: '风险（规则 serious-violation-in-force）',
    skipped: [{ rule: 'penalties', grade: 'fair', sections: [{ section: 'administrativePenalties', reason: 'section_off' }], text: '跳过规则 penalties（一般）：无法判断行政处罚（provider.sections 未开启）' }],
    now: { grade: 'fair', rule: 'x', text: '一般（规则 x）' },
  },
  strategy: { paymentTermDays: 0, settlement: 'prepayment', depositPercent: 100, newOrders: 'blocked' },
  openCase: CASE,
  recentEvents: EVENTS,
};

export const IMPORT: ImportPageData = {
  report: {
    file: `${HOSTILE}.csv`,
    summary: { imported: 3, created: 2, updated: 1, restored: 0, unchanged: 0, rejected: 1, duplicates: 1, warnings: 0 },
    rows: [
      { line: 7, kind: 'rejected', text: `rejected line 7: uscc ${HOSTILE} is not valid` },
      { line: 4, kind: 'duplicate', text: `line 4: duplicate of ${USCC}, line 2 kept instead` },
    ],
  },
};

export const SETTINGS: SettingsData = {
  provider: {
    kind: 'tianyancha',
    url: 'https://user:provider-pass-canary@open.api.tianyancha.com/services?token=provider-token-canary',
    sections: { administrativePenalties: true, dishonestDebtors: false, annualReports: true },
    ratePerSecond: 5,
    timeoutMs: 10_000,
    dailyCallBudget: null,
  },
  webhooks: [
    { name: HOSTILE, url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wecom-key-canary' },
    { name: 'legal', url: 'https://open.feishu.cn/open-apis/bot/v2/hook/feishu-path-canary' },
  ],
  email: { configured: true, recipients: 3, immediateTiers: ['critical', 'high'], digestTiers: ['medium', 'low', 'info'], digestTime: '09:00' },
  schedule: { intervalMs: 86_400_000, cron: null, byGradeMs: { risk: 3_600_000, good: 172_800_000, excellent: 604_800_000 } },
  casesOpenAt: 'medium',
  language: 'zh-CN',
};
