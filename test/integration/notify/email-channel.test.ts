import type { Transporter } from 'nodemailer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../../src/notify/channel.js';
import { createEmailChannel } from '../../../src/notify/email-channel.js';
import { createSmtpTransport } from '../../../src/notify/smtp-transport.js';
import { seriousViolationMessage } from '../../helpers/event-message-fixtures.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';

const FROM = '信用监控 <credit-monitor@example.com>';
const DELIVERY = 'f00dbabe0123456789abcdef';

describe('email channel against a real SMTP server', () => {
  let sink: SmtpSink;
  let transport: Transporter;
  let zh: Channel;
  let en: Channel;
  const signal = new AbortController().signal;

  beforeAll(async () => {
    sink = await startSmtpSink();
    transport = createSmtpTransport(sink.url);
    zh = createEmailChannel({ transport, from: FROM });
    en = createEmailChannel({ transport, from: FROM, language: 'en' });
  });
  afterEach(() => {
    sink.received.length = 0;
  });
  afterAll(async () => {
    transport.close();
    await sink.close();
  });

  it('sends a Chinese email whose subject, text and HTML decode correctly', async () => {
    const result = await zh.send({ deliveryId: DELIVERY, target: 'risk@example.com', message: seriousViolationMessage() }, signal);
    expect(result).toEqual({ ok: true });
    const [mail] = sink.received;
    expect(mail?.envelopeTo).toEqual(['risk@example.com']);
    const parsed = mail!.parsed;
    expect(parsed.subject).toBe('【红色预警】示例贸易有限公司被列入严重违法失信名单');
    expect(parsed.messageId).toBe(`<${DELIVERY}@example.com>`);
    expect(parsed.headers.get('x-credit-monitor-event-id')).toBe('evt_3f9a1c2b7d');
    const text = parsed.text ?? '';
    for (const expected of [
      '列入日期：2026-11-20',
      '列入原因：被列入经营异常名录届满3年仍未履行相关义务',
      '作出决定机关：深圳市市场监督管理局',
      '发现时间：2026-11-27 16:00 (北京时间)',
      '数据来源：天眼查',
      '首次检查基线：否',
      '建议处置：立即停止新业务、复核在执行合同与应收账款、通知法务',
      'credit-monitor alerts ack evt_3f9a1c2b7d --by <姓名>',
    ]) {
      expect(text).toContain(expected);
    }
    expect(parsed.html).toContain('credit-monitor alerts ack evt_3f9a1c2b7d --by &lt;姓名&gt;');
    expect(parsed.html).toContain('深圳市市场监督管理局');
  });

  it('escapes a customer name with < and & in the HTML part and keeps it literal in the text part', async () => {
    const message = seriousViolationMessage({ customer: { uscc: '91440300708461136T', name: 'A&B <贸易> 公司', tags: [] } });
    await zh.send({ deliveryId: DELIVERY, target: 'risk@example.com', message }, signal);
    const parsed = sink.received[0]!.parsed;
    expect(parsed.subject).toBe('【红色预警】A&B <贸易> 公司被列入严重违法失信名单');
    expect(parsed.text).toContain('客户：A&B <贸易> 公司');
    expect(parsed.html).toContain('A&amp;B &lt;贸易&gt; 公司');
    expect(parsed.html).not.toContain('<贸易>');
  });

  it('sends the English variant', async () => {
    await en.send({ deliveryId: DELIVERY, target: 'risk@example.com', message: seriousViolationMessage({ baseline: true }) }, signal);
    const parsed = sink.received[0]!.parsed;
    expect(parsed.subject).toBe('[Red alert] 示例贸易有限公司: listed as a seriously illegal and dishonest enterprise');
    expect(parsed.text).toContain('Detected at: 2026-11-27 16:00 (Beijing time, UTC+8)');
    expect(parsed.text).toContain('Baseline (first check): yes');
    expect(parsed.text).toContain('credit-monitor alerts ack evt_3f9a1c2b7d --by <name>');
    expect(parsed.html).toContain('<html lang="en">');
  });

  it.each([
    { stage: 'rcpt' as const, code: 550, message: '5.1.1 Mailbox unavailable', retryable: false },
    { stage: 'data' as const, code: 554, message: '5.7.1 Message rejected as spam', retryable: false },
    { stage: 'rcpt' as const, code: 451, message: '4.3.0 Try again later', retryable: true },
    { stage: 'data' as const, code: 452, message: '4.3.1 Insufficient storage', retryable: true },
  ])('an SMTP $code at $stage is retryable: $retryable', async ({ stage, code, message, retryable }) => {
    sink.reject({ stage, code, message });
    const result = await zh.send({ deliveryId: DELIVERY, target: 'risk@example.com', message: seriousViolationMessage() }, signal);
    expect(result).toMatchObject({ ok: false, retryable });
    if (!result.ok) {
      expect(result.error).toMatch(new RegExp(`^email to risk@example.com: SMTP ${code} .*${message.split(' ')[1]!}`));
      expect(result.error).not.toContain(sink.password);
    }
    expect(sink.received).toHaveLength(0);
  });
});

describe('SMTP transport settings', () => {
  it('refuses to send over a server without STARTTLS unless the URL says starttls=off', async () => {
    const sink = await startSmtpSink();
    const strict = createSmtpTransport(sink.url.replace('?starttls=off', ''));
    const result = await createEmailChannel({ transport: strict, from: FROM }).send(
      { deliveryId: DELIVERY, target: 'risk@example.com', message: seriousViolationMessage() },
      new AbortController().signal,
    );
    strict.close();
    await sink.close();
    expect(result).toMatchObject({ ok: false, retryable: true });
    if (!result.ok) {
      // Not only "ETLS 500": what the operator can do about it, in one line (issue 9 point 11).
      expect(result.error).toMatch(/^email to risk@example.com: the SMTP server does not offer STARTTLS, which CM_SMTP_URL requires; /);
      expect(result.error).toMatch(/trusted relay .*add \?starttls=off/);
      expect(result.error).toContain('ETLS 500');
      expect(result.error.split('\n')).toHaveLength(1);
      expect(result.error).not.toContain(sink.password);
    }
    expect(sink.received).toHaveLength(0);
  });

  it('reports a wrong password as a permanent 535 without echoing it', async () => {
    const sink = await startSmtpSink();
    const wrong = createSmtpTransport(sink.url.replace(encodeURIComponent(sink.password), 'hunter2-wrong'));
    const result = await createEmailChannel({ transport: wrong, from: FROM }).send(
      { deliveryId: DELIVERY, target: 'risk@example.com', message: seriousViolationMessage() },
      new AbortController().signal,
    );
    wrong.close();
    await sink.close();
    expect(result).toMatchObject({ ok: false, retryable: false });
    if (!result.ok) {
      expect(result.error).toMatch(/^email to risk@example.com: SMTP 535 /);
      expect(result.error).not.toContain('hunter2-wrong');
    }
  });

  it('reports a refused connection as retryable', async () => {
    const sink = await startSmtpSink();
    await sink.close();
    const transport = createSmtpTransport(sink.url);
    const result = await createEmailChannel({ transport, from: FROM }).send(
      { deliveryId: DELIVERY, target: 'risk@example.com', message: seriousViolationMessage() },
      new AbortController().signal,
    );
    transport.close();
    expect(result).toMatchObject({ ok: false, retryable: true });
    if (!result.ok) expect(result.error).toMatch(/^email to risk@example.com: (ECONNECTION|ESOCKET) /);
  });
});
