import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookChannel, type WebhookChannel } from '../../../src/notify/webhook-channel.js';
import { legalRepresentativeMessage, seriousViolationMessage } from '../../helpers/event-message-fixtures.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';

const newSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;
const DELIVERY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
const send = (channel: WebhookChannel, target = 'ops', signal = new AbortController().signal) =>
  channel.send({ deliveryId: DELIVERY, target, message: seriousViolationMessage() }, signal);

describe('webhook channel against a Standard Webhooks receiver', () => {
  const secret = newSecret();
  let receiver: WebhookReceiver;
  let channel: WebhookChannel;
  // A token in the URL stands for any credential a receiver puts there: it must never reach an error.
  const token = 'tok-9f8e7d';

  beforeAll(async () => {
    receiver = await startWebhookReceiver(secret);
    channel = createWebhookChannel({ targets: [{ name: 'ops', url: `${receiver.url}?token=${token}`, secret }], timeoutMs: 2_000 });
  });
  afterEach(() => {
    receiver.received.length = 0;
  });
  afterAll(async () => {
    await channel.close();
    await receiver.close();
  });

  const expectClean = (error: string): void => {
    expect(error).not.toContain(secret.slice(6));
    expect(error).not.toContain(token);
    expect(error).not.toContain('127.0.0.1');
    expect(error).not.toMatch(/\n/);
  };

  it('posts a body that verifies with the reference library, in the design key order', async () => {
    expect(await send(channel)).toEqual({ ok: true });
    const [request] = receiver.received;
    expect(request?.verified, request?.verifyError).toBe(true);
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['webhook-id']).toBe(DELIVERY);
    expect(request?.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(Object.keys(JSON.parse(request!.body) as object)).toEqual(['id', 'type', 'tier', 'baseline', 'detectedAt', 'customer', 'entry', 'source']);
    expect(JSON.parse(request!.body)).toEqual(seriousViolationMessage());
  });

  it('keeps the webhook-id and the exact body across two attempts, with fresh timestamps', async () => {
    const now = Date.now();
    const clocks = [now - 90_000, now];
    const timed = createWebhookChannel({ targets: [{ name: 'ops', url: receiver.url, secret }], clock: () => clocks[0]! });
    // Property order differs between the two messages: the bytes must not.
    const reverse = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).reverse()) as T;
    const original = seriousViolationMessage();
    const reordered = { ...reverse(original), entry: reverse(original.entry!), customer: reverse(original.customer) };
    await timed.send({ deliveryId: DELIVERY, target: 'ops', message: seriousViolationMessage() }, new AbortController().signal);
    clocks.shift();
    await timed.send({ deliveryId: DELIVERY, target: 'ops', message: reordered }, new AbortController().signal);
    await timed.close();

    const [first, second] = receiver.received;
    expect(first?.verified && second?.verified).toBe(true);
    expect(second?.headers['webhook-id']).toBe(first?.headers['webhook-id']);
    expect(second?.body).toBe(first?.body);
    expect(Number(second?.headers['webhook-timestamp']) - Number(first?.headers['webhook-timestamp'])).toBe(90);
    expect(second?.headers['webhook-signature']).not.toBe(first?.headers['webhook-signature']);
  });

  it.each([
    { status: 500, headers: {}, retryAfterMs: undefined },
    { status: 503, headers: { 'retry-after': '120' }, retryAfterMs: 120_000 },
    { status: 408, headers: {}, retryAfterMs: undefined },
    { status: 429, headers: { 'retry-after': '7' }, retryAfterMs: 7_000 },
  ])('HTTP $status is retryable (Retry-After → $retryAfterMs ms)', async ({ status, headers, retryAfterMs }) => {
    receiver.script({ status, headers, body: 'busy' });
    const result = await send(channel);
    expect(result).toMatchObject({ ok: false, retryable: true });
    expect(result.ok ? undefined : result.retryAfterMs).toBe(retryAfterMs);
    if (!result.ok) {
      expect(result.error).toContain('webhook target ops');
      expect(result.error).toContain(`HTTP ${status}`);
      expectClean(result.error);
    }
  });

  it('reads a Retry-After HTTP date as a wait in ms', async () => {
    const at = new Date(Date.now() + 60_000).toUTCString();
    receiver.script({ status: 429, headers: { 'retry-after': at } });
    const result = await send(channel);
    const wait = result.ok ? 0 : (result.retryAfterMs ?? 0);
    expect(wait).toBeGreaterThan(55_000);
    expect(wait).toBeLessThanOrEqual(60_000);
  });

  it('treats 400 as permanent, with a short sanitised snippet of the answer', async () => {
    receiver.script({ status: 400, body: `bad\r\npayload ${'x'.repeat(5_000)}` });
    const result = await send(channel);
    expect(result).toMatchObject({ ok: false, retryable: false });
    if (result.ok) return;
    expect(result.disableTarget).toBeUndefined();
    expect(result.error).toMatch(/^webhook target ops: HTTP 400 .*: bad payload x+…$/);
    expect(result.error.length).toBeLessThan(300);
    expectClean(result.error);
  });

  it('treats 410 Gone as permanent and asks for the target to be disabled', async () => {
    receiver.script({ status: 410 });
    expect(await send(channel)).toMatchObject({ ok: false, retryable: false, disableTarget: true });
  });

  it('does not follow a redirect, and says so', async () => {
    receiver.script({ status: 302, headers: { location: `${receiver.origin}/elsewhere?token=${token}` } });
    const result = await send(channel);
    expect(result).toMatchObject({ ok: false, retryable: false });
    if (!result.ok) {
      expect(result.error).toMatch(/HTTP 302 redirect not followed/);
      expectClean(result.error);
    }
    expect(receiver.received.map((r) => r.path)).toEqual([`/hook?token=${token}`]);
  });

  it('drains answers so that one connection carries many attempts', async () => {
    const before = receiver.connectionCount();
    receiver.script({ status: 500, body: 'e'.repeat(20_000) }, { status: 400, body: 'no' }, { status: 200, body: 'ok' });
    for (let i = 0; i < 3; i += 1) await send(channel);
    expect(receiver.connectionCount() - before).toBeLessThanOrEqual(1);
  });

  it('answers an unknown target name permanently, without a request', async () => {
    expect(await send(channel, 'nope')).toEqual({ ok: false, retryable: false, error: 'webhook target nope is not configured' });
    expect(receiver.received).toHaveLength(0);
  });

  it('reports a cancelled send as retryable', async () => {
    receiver.script({ hang: true });
    const controller = new AbortController();
    const pending = send(channel, 'ops', controller.signal);
    // Cancel once the receiver has the request, so the abort hits an in-flight exchange.
    await expect.poll(() => receiver.received.length).toBe(1);
    controller.abort(new Error('shutdown'));
    expect(await pending).toMatchObject({ ok: false, retryable: true, error: 'webhook target ops: cancelled before an answer' });
  });
});

describe('webhook channel failures without an answer', () => {
  it('gives up on a hanging receiver within the timeout, retryably', async () => {
    const secret = newSecret();
    const receiver = await startWebhookReceiver(secret);
    const channel = createWebhookChannel({ targets: [{ name: 'slow', url: receiver.url, secret }], timeoutMs: 300 });
    receiver.script({ hang: true });
    const started = performance.now();
    const result = await send(channel, 'slow');
    const elapsed = performance.now() - started;
    await channel.close();
    await receiver.close();
    expect(result).toEqual({ ok: false, retryable: true, error: 'webhook target slow: no answer within 300 ms' });
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('reports a refused connection as retryable, naming only the error code', async () => {
    const secret = newSecret();
    const receiver = await startWebhookReceiver(secret);
    await receiver.close();
    const channel = createWebhookChannel({ targets: [{ name: 'down', url: receiver.url, secret }] });
    const result = await send(channel, 'down');
    await channel.close();
    expect(result).toEqual({ ok: false, retryable: true, error: 'webhook target down: network error (ECONNREFUSED)' });
  });

  it('signs each target with its own secret, through an injected dispatcher', async () => {
    const secrets = [newSecret(), newSecret()] as const;
    const receivers = await Promise.all(secrets.map((s) => startWebhookReceiver(s)));
    const dispatcher = new Agent();
    const channel = createWebhookChannel({
      targets: [
        { name: 'erp', url: receivers[0]!.url, secret: secrets[0] },
        { name: 'crm', url: receivers[1]!.url, secret: secrets[1] },
      ],
      dispatcher,
    });
    const signal = new AbortController().signal;
    await channel.send({ deliveryId: 'd-erp', target: 'erp', message: seriousViolationMessage() }, signal);
    await channel.send({ deliveryId: 'd-crm', target: 'crm', message: legalRepresentativeMessage() }, signal);
    await channel.close();
    await dispatcher.close();
    await Promise.all(receivers.map((r) => r.close()));

    const [erp, crm] = receivers.map((r) => r.received);
    expect(erp?.map((r) => [r.headers['webhook-id'], r.verified])).toEqual([['d-erp', true]]);
    expect(crm?.map((r) => [r.headers['webhook-id'], r.verified])).toEqual([['d-crm', true]]);
    expect(() => new Webhook(secrets[1]).verify(erp![0]!.body, erp![0]!.headers)).toThrow(/No matching signature/);
  });

  it('refuses bad configuration at creation without quoting the secret or URL', () => {
    const secret = 'whsec_%%%not-base64%%%';
    expect(() => createWebhookChannel({ targets: [{ name: 'x', url: 'http://127.0.0.1/h', secret }] })).toThrow(
      'webhook target x: secret is not valid base64 after whsec_',
    );
    expect(() => createWebhookChannel({ targets: [{ name: 'x', url: 'ftp://h/?t=1', secret: newSecret() }] })).toThrow(
      'webhook target x: URL must be http: or https:',
    );
    const ok = { name: 'x', url: 'http://127.0.0.1/h', secret: newSecret() };
    expect(() => createWebhookChannel({ targets: [ok, ok] })).toThrow('webhook target x is configured twice');
  });
});
