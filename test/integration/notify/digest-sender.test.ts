import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Transporter } from 'nodemailer';
import { createDigestSender } from '../../../src/notify/digest-sender.js';
import { createSmtpTransport } from '../../../src/notify/smtp-transport.js';
import { legalRepresentativeMessage, seriousViolationMessage } from '../../helpers/event-message-fixtures.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';

let sink: SmtpSink;
let transport: Transporter;
beforeAll(async () => {
  sink = await startSmtpSink();
  transport = createSmtpTransport(sink.url);
});
afterAll(async () => {
  transport.close();
  await sink.close();
});

it('sends a digest whose Chinese subject and grouped body decode, with a Message-ID stable per period and recipient', async () => {
  const send = createDigestSender({ transport, from: 'credit-monitor@example.com' });
  const items = [legalRepresentativeMessage(), seriousViolationMessage({ tier: 'low', type: 'registration.address_changed', change: { field: 'address', before: '旧址', after: '新址' } })];
  const signal = new AbortController().signal;
  expect(await send('Risk@example.com', items, '2026-11-27', signal)).toEqual({ ok: true });
  expect(await send('risk@example.com', items, '2026-11-27', signal)).toEqual({ ok: true });
  sink.reject({ stage: 'rcpt', code: 550, message: '5.1.1 no such user' });
  expect(await send('gone@example.com', items, '2026-11-27', signal)).toMatchObject({ ok: false, retryable: false });

  const [first, second] = sink.received.map((m) => m.parsed);
  expect(first?.subject).toBe('【预警日报】2026-11-27 共2条');
  expect(first?.text).toContain('黄色预警（1条）');
  expect(first?.text).toContain('住所：旧址 → 新址');
  expect(first?.html).toContain('甲乙丙科技有限公司');
  expect(first?.messageId).toMatch(/^<digest-2026-11-27-[0-9a-f]{16}@example\.com>$/);
  expect(second?.messageId).toBe(first?.messageId);
});
