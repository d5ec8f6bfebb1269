/**
 * The outbox survives a crash between the commit of a check and the send: events and their
 * deliveries recorded with no worker running are sent by the relay of workers started afterwards,
 * each exactly once, and a restart sends nothing again. Also the 410 race: a retry that finds its
 * target disabled is sent once the operator re-enables it.
 */
import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE } from '../../../src/jobs/queue-names.js';
import { testCompany, testEntries, testState } from '../../helpers/mock-provider-fixtures.js';
import { pollUntil } from '../../helpers/poll-until.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';
import { createWorkerHarness, type WorkerHarness } from '../../helpers/worker-harness.js';
import { byWebhookId, deliverQueueIdle, FAST, newSecret, openChecker, outbox, runCli, writePolicy, ONE_GRADE_POLICY } from './alerts-fixtures.js';

const listed = (n: number) => testCompany(n, { seriousViolations: testEntries(1, `SV${n}`) });
const COMPANIES = [1, 2, 3];

describe('outbox relay', () => {
  let redis: RedisServer;
  let h: WorkerHarness;
  let receiver: WebhookReceiver;
  let sink: SmtpSink;
  let deliverQueue: Queue;
  let env: Record<string, string>;
  const open: Array<{ close(): Promise<void> | void }> = [];

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterEach(async () => {
    for (const o of open.reverse()) await o.close();
    open.length = 0;
  });
  afterAll(async () => {
    await redis.stop();
  });

  async function setUp(policy: unknown = {}, extraEnv: Record<string, string> = {}): Promise<void> {
    h = await createWorkerHarness({ redisUrl: redis.url, state: testState(...COMPANIES.map(listed)), env: { CM_CONFIG: ONE_GRADE_POLICY } });
    open.push({ close: () => h.cleanup() });
    const secret = newSecret();
    receiver = await startWebhookReceiver(secret);
    open.push(receiver);
    sink = await startSmtpSink();
    open.push(sink);
    await h.store.repos.customers.upsertMany(COMPANIES.map((n) => ({ uscc: listed(n).uscc, name: listed(n).name, tags: [] })));
    env = {
      CM_WEBHOOK_URL: receiver.url,
      CM_WEBHOOK_SECRET: secret,
      CM_SMTP_URL: sink.url,
      CM_MAIL_FROM: 'credit@example.com',
      CM_MAIL_TO: 'risk@example.com',
      CM_CONFIG: writePolicy(h, policy),
      ...extraEnv,
    };
    deliverQueue = new Queue(QUEUE.deliver, { connection: { url: redis.url }, prefix: h.prefix });
    open.push({ close: () => deliverQueue.close() });
  }

  it('deliveries committed with no worker running are sent once each by the relay, and never again after a restart', async () => {
    await setUp();
    // The "crash": checks committed (snapshot + events + outbox rows in one transaction), nothing enqueued.
    const checker = await openChecker(h, env);
    open.push(checker);
    const eventIds: string[] = [];
    for (const n of COMPANIES) eventIds.push(...(await checker.check(listed(n).uscc)).events.map((e) => e.id));
    expect(eventIds).toHaveLength(3);
    const rows = outbox(h);
    expect(rows.map((d) => [d.channel, d.status, d.attempts])).toEqual(
      eventIds.flatMap(() => [
        ['webhook', 'pending', 0],
        ['email', 'pending', 0],
      ]),
    );
    expect(await deliverQueue.count()).toBe(0);
    expect(receiver.received).toHaveLength(0);

    // Two workers start together: both relays see the same pending rows.
    await Promise.all([h.startWorker(env, FAST), h.startWorker(env, FAST)]);
    await pollUntil(() => outbox(h).every((d) => d.status === 'sent'), { timeoutMs: 10_000, what: 'every delivery sent' });
    await deliverQueueIdle(deliverQueue);

    const webhookIds = byWebhookId(receiver.received);
    expect([...webhookIds.keys()].sort()).toEqual(rows.filter((d) => d.channel === 'webhook').map((d) => d.id).sort());
    expect([...webhookIds.values()].every((list) => list.length === 1)).toBe(true);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    expect(receiver.received.map((r) => (JSON.parse(r.body) as { id: string }).id).sort()).toEqual([...eventIds].sort());
    expect(sink.received).toHaveLength(3);
    expect(new Set(sink.received.map((m) => m.parsed.messageId)).size).toBe(3);
    expect(sink.received.map((m) => m.parsed.headers.get('x-credit-monitor-event-id')).sort()).toEqual([...eventIds].sort());
    expect(outbox(h).map((d) => d.attempts)).toEqual(rows.map(() => 1));

    // A restart: the new worker's first relay round runs inside startWorker; nothing is resent.
    await h.startWorker(env, FAST);
    await deliverQueueIdle(deliverQueue);
    expect(receiver.received).toHaveLength(3);
    expect(sink.received).toHaveLength(3);
  });

  it('a retry that found its target disabled (410 from another delivery) is sent after `alerts enable-target`', async () => {
    await setUp({}, { CM_MAIL_TO: '' });
    const checker = await openChecker(h, env);
    open.push(checker);
    for (const n of [1, 2]) await checker.check(listed(n).uscc);
    // Customer 3 stays out of this scenario: not due for the worker.
    h.store.handle.sqlite.prepare('update customers set next_check_at = ? where uscc = ?').run(Date.now() + 86_400_000, listed(3).uscc);
    // Whichever arrives first is told to come back in 1 s; the other gets 410 and disables the target.
    receiver.script({ status: 503, headers: { 'retry-after': '1' } }, { status: 410 });
    await h.startWorker(env, FAST);

    await pollUntil(() => outbox(h).some((d) => d.status === 'dead'), { timeoutMs: 10_000, what: '410 → dead' });
    const retried = outbox(h).find((d) => d.status === 'pending');
    expect(retried?.attempts).toBe(1);
    // The retry job runs, finds the target disabled and leaves the row pending.
    await pollUntil(
      async () =>
        (await deliverQueue.getCompleted()).some((j) => String(j.returnvalue).includes('webhook target default is disabled')),
      { timeoutMs: 10_000, what: 'retry skipped while the target is disabled' },
    );
    expect(receiver.received).toHaveLength(2);

    const enable = await runCli(h, ['alerts', 'enable-target', 'default'], env);
    expect(enable.code).toBe(0);
    await pollUntil(() => outbox(h).find((d) => d.id === retried?.id && d.status === 'sent'), {
      timeoutMs: 10_000,
      what: 'retried delivery sent after enable-target',
    });
    await deliverQueueIdle(deliverQueue);
    expect(receiver.received).toHaveLength(3);
    expect(byWebhookId(receiver.received).get(retried?.id ?? '')).toHaveLength(2);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    expect(outbox(h).map((d) => d.status).sort()).toEqual(['dead', 'sent']);
  });
});
