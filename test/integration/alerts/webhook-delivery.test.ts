/**
 * Webhook delivery end to end: a real worker (redis-server, mock provider over HTTP, SQLite file)
 * sends outbox rows to real Standard Webhooks receivers that verify every request with the reference
 * library. Each scenario asserts exactly-once acceptance by `webhook-id` at the receiver.
 */
import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE } from '../../../src/jobs/queue-names.js';
import { testCompany, testEntries, testState } from '../../helpers/mock-provider-fixtures.js';
import { pollUntil } from '../../helpers/poll-until.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';
import { createWorkerHarness, sqlAll, type WorkerHarness } from '../../helpers/worker-harness.js';
import {
  byWebhookId,
  deliverQueueIdle,
  FAST,
  newSecret,
  openChecker,
  outbox,
  runCli,
  writePolicy,
  type Checker,
  ONE_GRADE_POLICY,
} from './alerts-fixtures.js';

/** Companies 1-4 are each on the serious-violations list: one critical baseline event per check. */
const listed = (n: number) => testCompany(n, { seriousViolations: testEntries(1, `SV${n}`) });

describe('webhook delivery through the worker', () => {
  let redis: RedisServer;
  const open: Array<{ close(): Promise<void> | void }> = [];
  let h: WorkerHarness;

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

  /** A fresh harness (own SQLite file, mock provider and queue prefix) per scenario. */
  async function setUp(companies: number[]): Promise<{ h: WorkerHarness; deliverQueue: Queue }> {
    h = await createWorkerHarness({ redisUrl: redis.url, state: testState(...companies.map(listed)), env: { CM_CONFIG: ONE_GRADE_POLICY } });
    open.push({ close: () => h.cleanup() });
    await h.store.repos.customers.upsertMany(
      companies.map((n) => ({ uscc: listed(n).uscc, name: listed(n).name, tags: ['华东', 'vip'] })),
    );
    const deliverQueue = new Queue(QUEUE.deliver, { connection: { url: redis.url }, prefix: h.prefix });
    open.push({ close: () => deliverQueue.close() });
    return { h, deliverQueue };
  }

  async function receiver(secret: string): Promise<WebhookReceiver> {
    const r = await startWebhookReceiver(secret);
    open.push(r);
    return r;
  }

  async function checker(env: Record<string, string>): Promise<Checker> {
    const c = await openChecker(h, env);
    open.push(c);
    return c;
  }

  it('signs with each target\'s own secret and sends the payload of DESIGN "Webhook", once per target', async () => {
    const { deliverQueue } = await setUp([1, 2]);
    const [defaultSecret, opsSecret] = [newSecret(), newSecret()];
    const [main, ops] = [await receiver(defaultSecret), await receiver(opsSecret)];
    const env = {
      CM_WEBHOOK_URL: main.url,
      CM_WEBHOOK_SECRET: defaultSecret,
      CM_WEBHOOK_SECRET_OPS: opsSecret,
      CM_CONFIG: writePolicy(h, { routing: { webhooks: [{ name: 'ops', url: ops.url, secretEnv: 'CM_WEBHOOK_SECRET_OPS' }] } }),
    };
    await h.startWorker(env, FAST);

    // The worker baselines both customers itself (never checked → due at once) and sends at once.
    await pollUntil(() => main.received.length >= 2 && ops.received.length >= 2, { timeoutMs: 15_000, what: 'two webhooks per target' });
    await deliverQueueIdle(deliverQueue);

    const events = sqlAll<{ id: string; uscc: string; name: string; detected_at: number; type: string; tier: string }>(
      h.store,
      'select e.id, c.uscc, c.name, e.detected_at, e.type, e.tier from events e join customers c on c.id = e.customer_id order by c.uscc',
    );
    expect(events.map((e) => [e.type, e.tier])).toEqual([
      ['serious_violation.listed', 'critical'],
      ['serious_violation.listed', 'critical'],
    ]);
    const rows = outbox(h).filter((d) => d.channel === 'webhook');
    expect(rows.map((d) => [d.target, d.status]).sort()).toEqual([
      ['default', 'sent'],
      ['default', 'sent'],
      ['ops', 'sent'],
      ['ops', 'sent'],
    ]);

    for (const [r, target] of [[main, 'default'], [ops, 'ops']] as const) {
      // Verified by standardwebhooks with that target's secret only.
      expect(r.received.map((x) => [x.verified, x.verifyError])).toEqual([
        [true, undefined],
        [true, undefined],
      ]);
      // Exactly once per webhook-id, and the webhook-id is the outbox row's id.
      const ids = byWebhookId(r.received);
      expect([...ids.values()].map((list) => list.length)).toEqual([1, 1]);
      expect([...ids.keys()].sort()).toEqual(rows.filter((d) => d.target === target).map((d) => d.id).sort());
      for (const request of r.received) {
        expect(request.method).toBe('POST');
        expect(request.headers['content-type']).toBe('application/json');
        expect(request.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
        expect(Math.abs(Number(request.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
        const body = JSON.parse(request.body) as Record<string, unknown>;
        const event = events.find((e) => e.id === body.id);
        expect(event).toBeDefined();
        expect(Object.keys(body)).toEqual(['id', 'type', 'tier', 'baseline', 'detectedAt', 'customer', 'entry', 'source']);
        expect(body).toMatchObject({
          id: event?.id,
          type: 'serious_violation.listed',
          tier: 'critical',
          baseline: true,
          detectedAt: new Date(event?.detected_at ?? 0).toISOString(),
          customer: { uscc: event?.uscc, name: event?.name, tags: ['华东', 'vip'] },
          source: 'mock',
        });
        const entry = body.entry as Record<string, unknown>;
        expect(entry).toMatchObject({ listedOn: '2025-01-15', reason: '通过登记的住所或者经营场所无法联系的', authority: '北京市海淀区市场监督管理局' });
        expect(typeof entry.key).toBe('string');
      }
    }
    // The same event reaches both targets under different webhook-ids (one outbox row each).
    const eventIdsAt = (r: WebhookReceiver) => r.received.map((x) => (JSON.parse(x.body) as { id: string }).id).sort();
    expect(eventIdsAt(main)).toEqual(eventIdsAt(ops));
    expect(new Set([...byWebhookId(main.received).keys(), ...byWebhookId(ops.received).keys()]).size).toBe(4);
  });

  it('retries 5xx with the same webhook-id and identical bytes, honours Retry-After, and is accepted once', async () => {
    const { deliverQueue } = await setUp([1]);
    const secret = newSecret();
    const r = await receiver(secret);
    const env = { CM_WEBHOOK_URL: r.url, CM_WEBHOOK_SECRET: secret };
    // Recorded before the worker starts, so the first answer is scripted before anything is sent.
    const c = await checker(env);
    await c.check(listed(1).uscc);
    r.script(
      { status: 503, headers: { 'retry-after': '1' }, body: 'maintenance' },
      { status: 500 },
      { status: 502 },
      { status: 200, body: 'ok' },
    );
    expect(r.received).toHaveLength(0);
    await h.startWorker(env, FAST);

    // After the 503 with Retry-After: 1, the next attempt is scheduled at least 1 s later (the
    // back-off alone would be 100-200 ms).
    const afterFirst = await pollUntil(() => outbox(h).find((d) => d.attempts === 1), { what: 'first attempt recorded' });
    expect(afterFirst.status).toBe('pending');
    expect(afterFirst.last_error).toContain('HTTP 503');
    expect((afterFirst.next_attempt_at ?? 0) - afterFirst.updated_at).toBeGreaterThanOrEqual(950);
    let lastSeenAlone = Date.now();
    await pollUntil(
      () => {
        if (r.received.length >= 2) return true;
        lastSeenAlone = Date.now();
        return false;
      },
      { intervalMs: 5, what: 'second attempt' },
    );
    expect(lastSeenAlone).toBeGreaterThanOrEqual((afterFirst.next_attempt_at ?? 0) - 50);

    await pollUntil(() => outbox(h).find((d) => d.status === 'sent'), { timeoutMs: 10_000, what: 'delivery sent' });
    await deliverQueueIdle(deliverQueue);
    expect(r.received).toHaveLength(4);
    const ids = byWebhookId(r.received);
    expect(ids.size).toBe(1);
    const [id] = [...ids.keys()];
    expect(id).toBe(outbox(h)[0]?.id);
    expect(r.received.every((x) => x.verified)).toBe(true);
    // Byte-identical body on every attempt; fresh signature each time over a (possibly) new timestamp.
    expect(new Set(r.received.map((x) => x.body)).size).toBe(1);
    expect(outbox(h).map((d) => [d.status, d.attempts])).toEqual([['sent', 4]]);
  });

  it('400 is permanent: dead in `status --json`; `alerts redrive --event` sends it again once', async () => {
    const { deliverQueue } = await setUp([1]);
    const secret = newSecret();
    const r = await receiver(secret);
    const env = { CM_WEBHOOK_URL: r.url, CM_WEBHOOK_SECRET: secret };
    r.script({ status: 400, body: 'bad payload' });
    await h.startWorker(env, FAST);

    const dead = await pollUntil(() => outbox(h).find((d) => d.status === 'dead'), { timeoutMs: 15_000, what: 'delivery dead' });
    expect(dead.last_error).toContain('HTTP 400');
    expect(dead.last_error).toContain('bad payload');
    await deliverQueueIdle(deliverQueue);
    expect(r.received).toHaveLength(1);

    const status = await runCli(h, ['status', '--json'], env);
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    expect((JSON.parse(status.stdout) as { deadDeliveries: number }).deadDeliveries).toBe(1);

    const redrive = await runCli(h, ['alerts', 'redrive', '--event', dead.event_id], env);
    expect(redrive.code).toBe(0);
    expect(redrive.stdout).toContain('re-driven 1 dead delivery');

    await pollUntil(() => outbox(h).find((d) => d.status === 'sent'), { timeoutMs: 10_000, what: 're-driven delivery sent' });
    await deliverQueueIdle(deliverQueue);
    expect(r.received).toHaveLength(2);
    expect(byWebhookId(r.received).get(dead.id)).toHaveLength(2);
    expect(new Set(r.received.map((x) => x.body)).size).toBe(1);
    expect(r.received.every((x) => x.verified)).toBe(true);
    const after = await runCli(h, ['status', '--json'], env);
    expect((JSON.parse(after.stdout) as { deadDeliveries: number }).deadDeliveries).toBe(0);
  });

  it('410 disables the target: later deliveries to it stay pending until `alerts enable-target`', async () => {
    const { deliverQueue } = await setUp([1, 2, 3]);
    const [goneSecret, liveSecret] = [newSecret(), newSecret()];
    const [gone, live] = [await receiver(goneSecret), await receiver(liveSecret)];
    const env = {
      CM_WEBHOOK_URL: live.url,
      CM_WEBHOOK_SECRET: liveSecret,
      CM_WEBHOOK_SECRET_GONE: goneSecret,
      CM_CONFIG: writePolicy(h, { routing: { webhooks: [{ name: 'gone', url: gone.url, secretEnv: 'CM_WEBHOOK_SECRET_GONE' }] } }),
    };
    const c = await checker(env);
    gone.script({ status: 410, body: 'subscription deleted' });
    // Customers 2 and 3 are checked here (never by the worker: their next check is a day away).
    await c.check(listed(1).uscc);
    h.store.handle.sqlite.prepare('update customers set next_check_at = ? where uscc in (?, ?)').run(Date.now() + 86_400_000, listed(2).uscc, listed(3).uscc);
    await h.startWorker(env, FAST);

    await pollUntil(() => outbox(h).find((d) => d.target === 'gone' && d.status === 'dead'), { timeoutMs: 10_000, what: '410 → dead' });
    const disabled = await runCli(h, ['alerts', 'targets'], env);
    expect(disabled.stdout).toMatch(/^gone {2}disabled \S+ {2}webhook target gone: HTTP 410/m);
    expect(disabled.stdout).toContain('1 disabled target(s)');

    // Two more events while the target is disabled: the live target gets them, the gone one does not.
    await c.check(listed(2).uscc);
    await c.check(listed(3).uscc);
    await pollUntil(() => live.received.length === 3, { timeoutMs: 10_000, what: 'live target receives all three' });
    await deliverQueueIdle(deliverQueue);
    expect(gone.received).toHaveLength(1);
    expect(outbox(h).filter((d) => d.target === 'gone').map((d) => d.status)).toEqual(['dead', 'pending', 'pending']);

    const enable = await runCli(h, ['alerts', 'enable-target', 'gone'], env);
    expect(enable.code).toBe(0);
    await pollUntil(() => outbox(h).filter((d) => d.target === 'gone' && d.status === 'sent').length === 2, {
      timeoutMs: 10_000,
      what: 'pending deliveries sent after enable-target',
    });
    await deliverQueueIdle(deliverQueue);
    expect(gone.received).toHaveLength(3);
    expect([...byWebhookId(gone.received).values()].map((l) => l.length)).toEqual([1, 1, 1]);
    expect([...byWebhookId(live.received).values()].map((l) => l.length)).toEqual([1, 1, 1]);
    expect(gone.received.every((x) => x.verified) && live.received.every((x) => x.verified)).toBe(true);
    // The 410'd delivery stays dead (a redrive would send it): nothing re-sent on its own.
    expect(outbox(h).filter((d) => d.target === 'gone').map((d) => d.status)).toEqual(['dead', 'sent', 'sent']);
  });
});
