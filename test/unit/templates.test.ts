import { describe, expect, it } from 'vitest';
import type { EventType, FieldChange, Tier } from '../../src/domain/events.js';
import type { EventMessage } from '../../src/notify/channel.js';
import { renderDigestEmail, renderEventEmail } from '../../src/notify/templates/index.js';
import { formatShanghaiTime } from '../../src/notify/templates/format-time.js';
import { serialiseEventMessage } from '../../src/notify/webhook-body.js';
import { parseRetryAfter } from '../../src/outbound-http/retry-after.js';
import { legalRepresentativeMessage, seriousViolationMessage } from '../helpers/event-message-fixtures.js';

const NAME = '示例贸易有限公司';
const message = (type: EventType, tier: Tier, change?: FieldChange): EventMessage => {
  const base = seriousViolationMessage({ type, tier });
  delete base.entry;
  return change ? { ...base, change } : base;
};

describe('event email subjects', () => {
  it.each([
    { m: seriousViolationMessage(), zh: `【红色预警】${NAME}被列入严重违法失信名单`, en: `[Red alert] ${NAME}: listed as a seriously illegal and dishonest enterprise` },
    { m: message('abnormal_operations.listed', 'high'), zh: `【橙色预警】${NAME}被列入经营异常名录`, en: `[Orange alert] ${NAME}: listed in the abnormal operations list` },
    { m: message('registration.status_changed', 'critical', { field: 'status', before: 'active', after: 'revoked' }), zh: `【红色预警】${NAME}登记状态变更为吊销`, en: `[Red alert] ${NAME}: registration status changed to revoked` },
    { m: message('registration.status_changed', 'critical', { field: 'status', before: 'active', after: 'cancelled' }), zh: `【红色预警】${NAME}登记状态变更为注销`, en: `[Red alert] ${NAME}: registration status changed to cancelled` },
    { m: message('registration.not_found', 'high'), zh: `【橙色预警】${NAME}查无此企业`, en: `[Orange alert] ${NAME}: not found in the business registry` },
    { m: message('registration.legal_representative_changed', 'medium', { field: 'legalRepresentative', before: '张三', after: '李四' }), zh: `【黄色预警】${NAME}法定代表人变更`, en: `[Yellow alert] ${NAME}: legal representative changed` },
    { m: message('registration.registered_capital_changed', 'medium', { field: 'registeredCapital', before: '10000000 CNY', after: '5000000 CNY' }), zh: `【黄色预警】${NAME}注册资本减少`, en: `[Yellow alert] ${NAME}: registered capital decreased` },
    { m: message('registration.registered_capital_changed', 'low', { field: 'registeredCapital', before: '5000000 CNY', after: '10000000.50 CNY' }), zh: `【蓝色预警】${NAME}注册资本增加`, en: `[Blue alert] ${NAME}: registered capital increased` },
    { m: message('registration.registered_capital_changed', 'medium', { field: 'registeredCapital', before: '1000000 USD', after: '5000000 CNY' }), zh: `【黄色预警】${NAME}注册资本变更`, en: `[Yellow alert] ${NAME}: registered capital changed` },
    { m: message('registration.name_changed', 'medium', { field: 'name', before: '旧名称有限公司', after: NAME }), zh: `【黄色预警】${NAME}名称变更`, en: `[Yellow alert] ${NAME}: name changed` },
    { m: message('registration.business_scope_changed', 'medium'), zh: `【黄色预警】${NAME}经营范围变更`, en: `[Yellow alert] ${NAME}: business scope changed` },
    { m: message('registration.address_changed', 'low'), zh: `【蓝色预警】${NAME}住所变更`, en: `[Blue alert] ${NAME}: registered address changed` },
    { m: message('abnormal_operations.removed', 'info'), zh: `【提示】${NAME}移出经营异常名录`, en: `[Notice] ${NAME}: removed from the abnormal operations list` },
    { m: message('serious_violation.removed', 'info'), zh: `【提示】${NAME}移出严重违法失信名单`, en: `[Notice] ${NAME}: removed from the serious violation list` },
    { m: message('monitoring.degraded', 'medium', { field: 'consecutiveFailures', before: '2', after: '3' }), zh: `【黄色预警】${NAME}监控异常`, en: `[Yellow alert] ${NAME}: monitoring degraded` },
    { m: message('monitoring.recovered', 'info'), zh: `【提示】${NAME}监控恢复`, en: `[Notice] ${NAME}: monitoring recovered` },
  ])('$m.type → $zh', ({ m, zh, en }) => {
    expect(renderEventEmail(m).subject).toBe(zh);
    expect(renderEventEmail(m, 'en').subject).toBe(en);
  });

  it('keeps a subject on one line whatever the customer name holds', () => {
    const m = seriousViolationMessage({ customer: { uscc: '91440300708461136T', name: 'A\r\nBcc: x@evil', tags: [] } });
    expect(renderEventEmail(m).subject).toBe('【红色预警】A Bcc: x@evil被列入严重违法失信名单');
  });
});

describe('event email bodies', () => {
  it.each([
    { tier: 'critical' as const, action: '立即停止新业务、复核在执行合同与应收账款、通知法务' },
    { tier: 'high' as const, action: '改为款到发货/提高保证金、要求客户书面说明' },
    { tier: 'medium' as const, action: '核实变更、更新客户档案' },
    { tier: 'low' as const, action: '知悉、存档' },
    { tier: 'info' as const, action: '知悉、存档' },
  ])('recommends for $tier: $action', ({ tier, action }) => {
    expect(renderEventEmail(seriousViolationMessage({ tier })).text).toContain(`建议处置：${action}`);
  });

  it('shows a field change as before → after, with status codes in words', () => {
    expect(renderEventEmail(legalRepresentativeMessage()).text).toContain('法定代表人：张三 → 李四');
    const status = message('registration.status_changed', 'critical', { field: 'status', before: 'active', after: 'revoked' });
    expect(renderEventEmail(status).text).toContain('登记状态：存续 → 吊销');
    expect(renderEventEmail(status, 'en').text).toContain('Registration status: active → revoked');
    expect(renderEventEmail({ ...status, baseline: true, change: { field: 'status', before: null, after: 'revoked' } }).text).toContain(
      '登记状态：（无） → 吊销',
    );
  });

  it('says whether an event is a baseline and how a removal was seen', () => {
    expect(renderEventEmail(seriousViolationMessage({ baseline: true })).text).toContain('首次检查基线：是');
    const removed = seriousViolationMessage({ type: 'serious_violation.removed', tier: 'info', evidence: 'missing' });
    expect(renderEventEmail(removed).text).toContain('移出依据：连续两次查询中不再出现');
  });

  it('names the source and ends with the event id and the exact ack command', () => {
    const { text } = renderEventEmail(seriousViolationMessage({ source: 'mock' }));
    expect(text).toContain('数据来源：模拟数据源');
    expect(text).toMatch(/事件编号：evt_3f9a1c2b7d\n处理后请确认：\n {2}credit-monitor alerts ack evt_3f9a1c2b7d --by <姓名>\n$/);
  });

  it('escapes every interpolated value in the HTML part', () => {
    const m = seriousViolationMessage({
      customer: { uscc: '91440300708461136T', name: '<script>alert(1)</script>&"\'', tags: ['<b>'] },
    });
    const { html } = renderEventEmail(m);
    expect(html).not.toMatch(/<script>|<b>/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;');
  });
});

describe('formatShanghaiTime', () => {
  it.each([
    { iso: '2026-11-27T08:00:00.000Z', zh: '2026-11-27 16:00 (北京时间)' },
    { iso: '2026-11-27T16:30:00.000Z', zh: '2026-11-28 00:30 (北京时间)' },
    { iso: '2026-12-31T23:59:59.999Z', zh: '2027-01-01 07:59 (北京时间)' },
  ])('$iso → $zh', ({ iso, zh }) => {
    expect(formatShanghaiTime(iso, 'zh-CN')).toBe(zh);
  });
});

describe('renderDigestEmail', () => {
  const items = [
    legalRepresentativeMessage({ id: 'evt_b', customer: { uscc: '914403001922038216', name: '乙公司', tags: [] } }),
    seriousViolationMessage({ id: 'evt_a', tier: 'low', type: 'registration.address_changed', change: { field: 'address', before: '旧址', after: '新址' } }),
    legalRepresentativeMessage({ id: 'evt_c', detectedAt: '2026-11-27T01:00:00.000Z', customer: { uscc: '91440300708461136T', name: '甲公司', tags: [] } }),
    legalRepresentativeMessage({ id: 'evt_d', customer: { uscc: '91440300708461136T', name: '甲公司', tags: [] } }),
  ];

  it('has one subject with the date and the count', () => {
    expect(renderDigestEmail(items, { date: '2026-11-27' }).subject).toBe('【预警日报】2026-11-27 共4条');
    expect(renderDigestEmail(items, { date: '2026-11-27' }, 'en').subject).toBe('[Daily alert digest] 2026-11-27: 4 events');
  });

  it('groups by tier, highest first, then by customer, oldest event first', () => {
    const { text } = renderDigestEmail(items, { date: '2026-11-27' });
    const order = ['黄色预警（3条）', '  甲公司', 'evt_c', 'evt_d', '  乙公司', 'evt_b', '蓝色预警（1条）', 'evt_a'].map((s) => text.indexOf(s));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain('法定代表人：张三 → 李四');
    expect(text).toContain('credit-monitor alerts ack <事件编号> --by <姓名>');
  });

  it('escapes names in the HTML part and says so when there is nothing', () => {
    const html = renderDigestEmail([seriousViolationMessage({ customer: { uscc: '91440300708461136T', name: 'A&B<C>', tags: [] } })], { date: '2026-11-27' }).html;
    expect(html).toContain('A&amp;B&lt;C&gt;');
    expect(renderDigestEmail([], { date: '2026-11-27' }).text).toContain('本期没有新的预警。');
  });
});

describe('webhook helpers', () => {
  it('serialises in the design key order whatever the property order', () => {
    const m = legalRepresentativeMessage({ evidence: 'missing' });
    const shuffled = Object.fromEntries(Object.entries(m).reverse()) as unknown as EventMessage;
    expect(serialiseEventMessage(shuffled)).toBe(serialiseEventMessage(m));
    expect(Object.keys(JSON.parse(serialiseEventMessage(m)) as object)).toEqual([
      'id', 'type', 'tier', 'baseline', 'detectedAt', 'customer', 'change', 'evidence', 'source',
    ]);
  });

  it.each([
    { value: '120', ms: 120_000 },
    { value: 'Fri, 27 Nov 2026 08:00:30 GMT', ms: 30_000 },
    { value: 'Fri, 27 Nov 2026 07:00:00 GMT', ms: 0 },
    { value: 'soon', ms: undefined },
    { value: '1.5', ms: undefined },
    { value: undefined, ms: undefined },
  ])('Retry-After $value → $ms ms', ({ value, ms }) => {
    expect(parseRetryAfter(value, Date.parse('2026-11-27T08:00:00.000Z'))).toBe(ms);
  });
});
