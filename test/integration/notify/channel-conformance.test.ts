/**
 * The channel conformance suite: every delivery channel behind the `Channel` port meets the same
 * contract, against a real receiver of its own wire format on 127.0.0.1 (a Standard Webhooks
 * receiver, a real SMTP server). Adding a channel (the IM robots next) means adding a rig here.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { Transporter } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, SendResult } from '../../../src/notify/channel.js';
import { createEmailChannel } from '../../../src/notify/email-channel.js';
import { createSmtpTransport } from '../../../src/notify/smtp-transport.js';
import { createWebhookChannel } from '../../../src/notify/webhook-channel.js';
import { seriousViolationMessage } from '../../helpers/event-message-fixtures.js';
import { startSmtpSink } from '../../helpers/smtp-sink.js';
import { startWebhookReceiver } from '../../helpers/webhook-receiver.js';

/** One channel wired to a real receiver, and the receiver's levers. */
interface ChannelRig {
  channel: Channel;
  /** The delivery target that reaches the receiver. */
  target: string;
  /** A channel of the same kind whose receiver does not listen. */
  unreachable: Channel;
  unreachableTarget: string;
  /** Makes the receiver refuse the next send transiently (retry later) or for good. */
  refuseNext(kind: 'transient' | 'permanent'): void;
  /** Every send the receiver accepted: the idempotency key it carried and the event id. */
  accepted(): Array<{ key: string; eventId: string }>;
  /** Strings that must never appear in an error: credentials, and addresses that carry them. */
  secrets: string[];
  close(): Promise<void>;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function webhookRig(): Promise<ChannelRig> {
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const token = `tok-${randomBytes(6).toString('hex')}`;
  const receiver = await startWebhookReceiver(secret);
  const port = await closedPort();
  const channel = createWebhookChannel({ targets: [{ name: 'ops', url: `${receiver.url}?token=${token}`, secret }], timeoutMs: 2_000 });
  const unreachable = createWebhookChannel({ targets: [{ name: 'gone', url: `http://127.0.0.1:${port}/hook?token=${token}`, secret }], timeoutMs: 2_000 });
  return {
    channel,
    target: 'ops',
    unreachable,
    unreachableTarget: 'gone',
    refuseNext: (kind) => { receiver.script({ status: kind === 'transient' ? 503 : 400, body: `refused token=${token}` }); },
    accepted: () =>
      receiver.received
        .filter((r) => r.answer === 204)
        .map((r) => ({ key: r.headers['webhook-id'] ?? '', eventId: (JSON.parse(r.body) as { id: string }).id })),
    secrets: [secret.slice('whsec_'.length), token],
    close: async () => {
      await channel.close();
      await unreachable.close();
      await receiver.close();
    },
  };
}

async function emailRig(): Promise<ChannelRig> {
  const sink = await startSmtpSink();
  const port = await closedPort();
  const transports: Transporter[] = [createSmtpTransport(sink.url), createSmtpTransport(`smtp://user:${sink.password}@127.0.0.1:${port}?starttls=off`)];
  const from = 'credit-monitor@example.com';
  return {
    channel: createEmailChannel({ transport: transports[0]!, from }),
    target: 'risk@example.com',
    unreachable: createEmailChannel({ transport: transports[1]!, from }),
    unreachableTarget: 'risk@example.com',
    refuseNext: (kind) => { sink.reject(kind === 'transient' ? { stage: 'data', code: 451, message: 'try again later' } : { stage: 'rcpt', code: 550, message: 'no such user' }); },
    accepted: () =>
      sink.received.map((m) => {
        const eventId = m.parsed.headers.get('x-credit-monitor-event-id');
        return { key: m.parsed.messageId ?? '', eventId: typeof eventId === 'string' ? eventId : '' };
      }),
    secrets: [sink.password],
    close: async () => {
      for (const transport of transports) transport.close();
      await sink.close();
    },
  };
}

const RIGS: Array<[string, () => Promise<ChannelRig>]> = [
  ['webhook', webhookRig],
  ['email', emailRig],
];

describe.each(RIGS)('channel conformance: %s', (_name, start) => {
  let rig: ChannelRig;
  const message = seriousViolationMessage();
  const send = (channel: Channel, target: string, deliveryId: string, signal = new AbortController().signal): Promise<SendResult> =>
    channel.send({ deliveryId, target, message }, signal);
  const expectClean = (result: SendResult): void => {
    if (result.ok) throw new Error('expected a failed send');
    expect(result.error).not.toMatch(/[\r\n]/);
    for (const secret of rig.secrets) expect(result.error).not.toContain(secret);
  };

  beforeAll(async () => {
    rig = await start();
  });
  afterAll(async () => {
    await rig.close();
  });

  it('delivers an accepted send once, carrying the event id', async () => {
    const before = rig.accepted().length;
    expect(await send(rig.channel, rig.target, 'conf-accept-1')).toEqual({ ok: true });
    expect(rig.accepted().slice(before).map((a) => a.eventId)).toEqual([message.id]);
  });

  it('carries the same idempotency key on a resend of one delivery, another for another delivery', async () => {
    const before = rig.accepted().length;
    await send(rig.channel, rig.target, 'conf-resend-1');
    await send(rig.channel, rig.target, 'conf-resend-1');
    await send(rig.channel, rig.target, 'conf-resend-2');
    const [first, again, other] = rig.accepted().slice(before).map((a) => a.key);
    expect(first).toBeTruthy();
    expect(again).toBe(first);
    expect(other).not.toBe(first);
  });

  it('reports a transient refusal as retryable, on one line, without secrets', async () => {
    rig.refuseNext('transient');
    const result = await send(rig.channel, rig.target, 'conf-transient-1');
    expect(result).toMatchObject({ ok: false, retryable: true });
    expectClean(result);
  });

  it('reports a permanent refusal as not retryable, on one line, without secrets', async () => {
    rig.refuseNext('permanent');
    const result = await send(rig.channel, rig.target, 'conf-permanent-1');
    expect(result).toMatchObject({ ok: false, retryable: false });
    expectClean(result);
  });

  it('never throws when the receiver is unreachable: a retryable failure', async () => {
    const result = await send(rig.unreachable, rig.unreachableTarget, 'conf-unreachable-1');
    expect(result).toMatchObject({ ok: false, retryable: true });
    expectClean(result);
  });

  it('never throws when the send is aborted before it starts: a retryable failure', async () => {
    const abort = new AbortController();
    abort.abort(new Error('shutting down'));
    const result = await send(rig.channel, rig.target, 'conf-aborted-1', abort.signal);
    expect(result).toMatchObject({ ok: false, retryable: true });
    expectClean(result);
  });
});
