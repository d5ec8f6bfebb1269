/** A grade change as every channel states it: the webhook body, the e-mail (zh-CN and English), the log line. */
import { describe, expect, it } from 'vitest';
import { createLogChannel } from '../../src/notify/log-channel.js';
import { renderDigestEmail, renderEventEmail } from '../../src/notify/templates/index.js';
import { serialiseEventMessage } from '../../src/notify/webhook-body.js';
import { gradeChangedMessage } from '../helpers/event-message-fixtures.js';
import { captureLogs } from '../helpers/log-capture.js';

const NAME = '示例贸易有限公司';
const EXCELLENT = { paymentTermDays: 60, settlement: 'credit' as const, depositPercent: 0, newOrders: 'allowed' as const };

describe('grade.changed in alerts', () => {
  it('the webhook body carries grade and strategy, in a fixed key order, before source', () => {
    const body = JSON.parse(serialiseEventMessage(gradeChangedMessage())) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['id', 'type', 'tier', 'baseline', 'detectedAt', 'customer', 'change', 'grade', 'strategy', 'source']);
    expect(body.change).toEqual({ field: 'grade', before: 'good', after: 'risk' });
    expect(body.grade).toEqual({ grade: 'risk', rule: 'abnormal-operations-in-force' });
    expect(Object.keys(body.strategy as object)).toEqual(['paymentTermDays', 'settlement', 'depositPercent', 'newOrders']);
    // Built field by field: the property order of the message does not change the bytes.
    const { strategy, ...rest } = gradeChangedMessage();
    const reordered = { strategy: { newOrders: strategy!.newOrders, depositPercent: 100, settlement: strategy!.settlement, paymentTermDays: 0 }, ...rest };
    expect(serialiseEventMessage(reordered)).toBe(serialiseEventMessage(gradeChangedMessage()));
  });

  it.each([
    { m: gradeChangedMessage(), zh: `【橙色预警】${NAME}信用等级下调为风险`, en: `[Orange alert] ${NAME}: credit grade lowered to risk` },
    {
      m: gradeChangedMessage({ tier: 'medium', change: { field: 'grade', before: 'excellent', after: 'fair' }, grade: { grade: 'fair', rule: 'no-figures' } }),
      zh: `【黄色预警】${NAME}信用等级下调为一般`,
      en: `[Yellow alert] ${NAME}: credit grade lowered to fair`,
    },
    {
      m: gradeChangedMessage({ tier: 'low', change: { field: 'grade', before: 'fair', after: 'excellent' }, grade: { grade: 'excellent', rule: 'excellent' }, strategy: EXCELLENT }),
      zh: `【蓝色预警】${NAME}信用等级上调为优质`,
      en: `[Blue alert] ${NAME}: credit grade raised to excellent`,
    },
    { m: gradeChangedMessage({ baseline: true, change: { field: 'grade', before: 'unrated', after: 'risk' } }), zh: `【橙色预警】${NAME}首次评级为风险`, en: `[Orange alert] ${NAME}: first credit grade: risk` },
  ])('subject: $zh', ({ m, zh, en }) => {
    expect(renderEventEmail(m).subject).toBe(zh);
    expect(renderEventEmail(m, 'en').subject).toBe(en);
  });

  it('the e-mail states the grade, the rule and the strategy, and makes the strategy the action (zh-CN and English)', () => {
    const zh = renderEventEmail(gradeChangedMessage());
    expect(zh.text).toContain('信用等级：良好 → 风险');
    expect(zh.text).toContain('判定规则：abnormal-operations-in-force');
    expect(zh.text).toContain('交易策略：无账期，预付款，保证金 100%，新订单暂停接单');
    expect(zh.text).toContain('建议处置：立即按新的信用等级执行交易策略：无账期，预付款，保证金 100%，新订单暂停接单');
    expect(zh.html).toContain('交易策略');
    const en = renderEventEmail(gradeChangedMessage(), 'en');
    expect(en.text).toContain('Credit grade: good → risk');
    expect(en.text).toContain('Trading strategy: payment term none, prepayment, deposit 100%, new orders blocked');
    expect(en.text).toContain('Recommended action: Apply the strategy of the new grade at once: payment term none, prepayment');
  });

  it('the digest line of a grade change states it too', () => {
    const digest = renderDigestEmail([gradeChangedMessage({ tier: 'low', change: { field: 'grade', before: 'fair', after: 'excellent' }, strategy: EXCELLENT })], { date: '2026-11-27' });
    expect(digest.text).toContain('信用等级上调为优质 · 信用等级：一般 → 优质');
    expect(digest.text).toContain('交易策略：账期 60 天，赊销，保证金 0%，新订单正常接单');
  });

  it('the log channel states the grade and its strategy, in zh-CN unless English is configured', async () => {
    for (const [language, expected] of [
      ['zh-CN', '信用等级：风险（无账期，预付款，保证金 100%，新订单暂停接单）'],
      ['en', 'credit grade: risk (payment term none, prepayment, deposit 100%, new orders blocked)'],
    ] as const) {
      const logs = captureLogs();
      const channel = createLogChannel(logs.logger, { language });
      await channel.send({ deliveryId: 'd1', target: 'stdout', message: gradeChangedMessage() }, AbortSignal.timeout(1000));
      expect(logs.lines().map((line) => line.msg)).toEqual([`high grade.changed 91440300708461136T ${NAME} ${expected}`]);
    }
  });
});
