/** How `annual_report.missing` reads: subject, details, the recommended action, the webhook body. */
import { describe, expect, it } from 'vitest';
import type { EventMessage } from '../../src/notify/channel.js';
import { renderEventEmail } from '../../src/notify/templates/index.js';
import { serialiseEventMessage } from '../../src/notify/webhook-body.js';
import { toEventMessage } from '../../src/store/event-message.js';
import { seriousViolationMessage } from '../helpers/event-message-fixtures.js';

const NAME = '示例贸易有限公司';

function missing(year: number | undefined, overrides: Partial<EventMessage> = {}): EventMessage {
  const base = seriousViolationMessage({ type: 'annual_report.missing', tier: 'medium', ...overrides });
  delete base.entry;
  return year === undefined ? base : { ...base, annualReport: { year } };
}

describe('annual_report.missing in an email', () => {
  it.each([
    { year: 2025, zh: `【黄色预警】${NAME}未按期公示2025年度报告`, en: `[Yellow alert] ${NAME}: did not publish its 2025 annual report by 30 June` },
    { year: undefined, zh: `【黄色预警】${NAME}未按期公示上一年度报告`, en: `[Yellow alert] ${NAME}: did not publish its last year's annual report by 30 June` },
  ])('subject for $year', ({ year, zh, en }) => {
    expect(renderEventEmail(missing(year)).subject).toBe(zh);
    expect(renderEventEmail(missing(year), 'en').subject).toBe(en);
  });

  it('names the year and the deadline, and urges filing before the listing instead of the tier action', () => {
    const zh = renderEventEmail(missing(2025)).text;
    expect(zh).toContain('报告年度：2025年度');
    expect(zh).toContain('公示截止日期：2026-06-30');
    expect(zh).toContain('建议处置：督促客户立即补报并公示2025年度报告，避免在6月30日后10个工作日内被列入经营异常名录');
    expect(zh).not.toContain('核实变更、更新客户档案');
    const en = renderEventEmail(missing(2025), 'en');
    expect(en.text).toContain('Report year: 2025');
    expect(en.text).toContain('Recommended action: Urge the customer to file and publish its 2025 annual report at once');
    expect(en.html).toContain('within 10 working days after 30 June');
  });

  it('another medium event keeps the tier action', () => {
    expect(renderEventEmail(seriousViolationMessage({ tier: 'medium' })).text).toContain('建议处置：核实变更、更新客户档案');
  });
});

describe('annual_report.missing on the webhook', () => {
  it('carries annualReport {year} before source, from the stored payload', () => {
    const message = toEventMessage({
      id: 'e1',
      type: 'annual_report.missing',
      tier: 'medium',
      baseline: true,
      detectedAt: Date.parse('2026-07-01T01:00:00.000Z'),
      source: 'mock',
      payload: { annualReport: { year: 2025 } },
      current: { uscc: '91440300708461136T', name: NAME, tags: [] },
    });
    expect(message.annualReport).toEqual({ year: 2025 });
    const body = JSON.parse(serialiseEventMessage(message)) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['id', 'type', 'tier', 'baseline', 'detectedAt', 'customer', 'annualReport', 'source']);
    expect(body.annualReport).toEqual({ year: 2025 });
  });
});
