/**
 * Issue 9 point 9: the daily digest through a real worker to a real SMTP server that refuses one
 * recipient. Each recipient's digest is a delivery of its own: a permanent refusal marks that
 * recipient's rows dead (visible in `status` and `events`, re-drivable) and the others still go
 * out; a transient one is retried without sending the others twice; and a digest carries only the
 * rows recorded before its period's cut-off.
 */
import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDay } from '../../../src/domain/dates.js';
import { JOB, QUEUE } from '../../../src/jobs/queue-names.js';
import { testCompany, testState } from '../../helpers/mock-provider-fixtures.js';
import { pollUntil } from '../../helpers/poll-until.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../../helpers/smtp-sink.js';
import { createWorkerHarness, sqlAll, type WorkerHarness } from '../../helpers/worker-harness.js';
import { FAST, openChecker, outbox, runCli, writePolicy, type Checker } from './alerts-fixtures.js';

const clean = (n: number) => testCompany(n);
const FROM = '信用监控 <credit@example.com>';
const DAY_MS = 86_400_000;

describe('the digest, one delivery per recipient', () => {
  let redis: RedisServer;
  let h: WorkerHarness;
  let sink: SmtpSink;
  let checker: Checker;
  let sweep: Queue;
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

  /** Customers 10 and 11 (10 tagged "east"), checked by `checker` only: none is due for the worker. */
  async function setUp(mailTo: string, policy: unknown = {}): Promise<Record<string, string>> {
    baselined.clear();
    h = await createWorkerHarness({ redisUrl: redis.url, state: testState(clean(10), clean(11)) });
    open.push({ close: () => h.cleanup() });
    sink = await startSmtpSink();
    open.push(sink);
    await h.store.repos.customers.upsertMany([
      { uscc: clean(10).uscc, name: clean(10).name, tags: ['east'] },
      { uscc: clean(11).uscc, name: clean(11).name, tags: [] },
    ]);
    h.store.handle.sqlite.prepare('update customers set next_check_at = ?').run(Date.now() + DAY_MS);
    const env = { CM_SMTP_URL: sink.url, CM_MAIL_FROM: FROM, CM_MAIL_TO: mailTo, CM_CONFIG: writePolicy(h, policy) };
    checker = await openChecker(h, env);
    open.push(checker);
    sweep = new Queue(QUEUE.sweep, { connection: { url: redis.url }, prefix: h.prefix });
    open.push({ close: () => sweep.close() });
    return env;
  }

  const baselined = new Set<number>();
  /** A medium event (legal representative changed); the customer's first check (its baseline) first. */
  async function mediumEvent(n: number, legalPerson: string): Promise<string> {
    if (!baselined.has(n)) {
      await checker.check(clean(n).uscc);
      baselined.add(n);
    }
    await h.control.patchCompany(clean(n).uscc, { legalPerson });
    const outcome = await checker.check(clean(n).uscc);
    expect(outcome.events.map((e) => [e.type, e.tier])).toEqual([['registration.legal_representative_changed', 'medium']]);
    return outcome.events[0]?.id ?? '';
  }

  /** Adds what the digest scheduler adds at digest time, `at` being that time; waits for the job to end. */
  async function runDigest(at: number, opts: { attempts?: number } = {}): Promise<{ state: string; result: unknown; period: string }> {
    const job = await sweep.add(JOB.digest, {}, { timestamp: at, ...(opts.attempts ? { attempts: opts.attempts, backoff: { type: 'fixed', delay: 100 } } : {}) });
    await pollUntil(async () => ['completed', 'failed'].includes(await job.getState()), { timeoutMs: 15_000, what: 'digest job done' });
    const done = await sweep.getJob(job.id ?? '');
    return { state: await job.getState(), result: done?.returnvalue ?? done?.failedReason, period: shanghaiDay(at) };
  }

  const to = (mails: readonly ReceivedMail[], address: string): ReceivedMail[] => mails.filter((m) => m.envelopeTo.includes(address));
  const digestRows = () => outbox(h).filter((d) => d.channel === 'email_digest');

  it('a refused recipient is dead on its own; the others get the digest; status, events and redrive see it', async () => {
    const env = await setUp('risk@example.com,bad@example.com,audit@example.com');
    sink.refuseRecipient('bad@example.com', { code: 550, message: '5.1.1 <bad@example.com>: no such user' });
    const events = [await mediumEvent(10, '李四'), await mediumEvent(11, '王五')];
    await h.startWorker(env, FAST);

    const first = await runDigest(Date.now());
    expect(first.state).toBe('completed');
    expect(sink.received.map((m) => m.envelopeTo[0]).sort()).toEqual(['audit@example.com', 'risk@example.com']);
    for (const mail of sink.received) expect(mail.parsed.subject).toBe(`【预警日报】${first.period} 共2条`);
    expect(digestRows().map((d) => [d.target, d.status]).sort()).toEqual([
      ['audit@example.com', 'sent'], ['audit@example.com', 'sent'],
      ['bad@example.com', 'dead'], ['bad@example.com', 'dead'],
      ['risk@example.com', 'sent'], ['risk@example.com', 'sent'],
    ]);
    for (const row of digestRows().filter((d) => d.target === 'bad@example.com')) expect(row.last_error).toMatch(/SMTP 550 .*no such user/);
    expect(sqlAll(h.store, 'select period from digests')).toEqual([{ period: first.period }]);

    const status = await runCli(h, ['status', '--json'], env);
    expect(status.code, status.stderr).toBe(0);
    expect((JSON.parse(status.stdout) as { deadDeliveries: number }).deadDeliveries).toBe(2);
    const listed = await runCli(h, ['events', '--json'], env);
    expect(listed.code, listed.stderr).toBe(0);
    const views = (JSON.parse(listed.stdout) as { events: Array<{ id: string; deadDeliveries?: unknown[] }> }).events.filter((e) => events.includes(e.id));
    expect(views).toHaveLength(2);
    for (const view of views) {
      expect(view.deadDeliveries).toEqual([{ channel: 'email_digest', target: 'bad@example.com', error: expect.stringMatching(/SMTP 550/) }]);
    }
    const text = await runCli(h, ['events'], env);
    expect(text.stdout).toContain('dead: email_digest bad@example.com');

    // Re-driven, once the mailbox exists: the rows go out with the next digest, to that recipient only.
    sink.refuseRecipient('bad@example.com', undefined);
    const redrive = await runCli(h, ['alerts', 'redrive', '--all-dead'], env);
    expect(redrive.code, redrive.stderr).toBe(0);
    expect(redrive.stdout).toContain('re-driven 2 dead deliveries');
    expect(redrive.stdout).toContain('next daily digest');
    const next = await runDigest(Date.now() + DAY_MS);
    expect(next).toMatchObject({ state: 'completed' });
    expect(to(sink.received, 'bad@example.com').map((m) => m.parsed.subject)).toEqual([`【预警日报】${next.period} 共2条`]);
    expect(sink.received).toHaveLength(3);
    expect(digestRows().every((d) => d.status === 'sent')).toBe(true);
  });

  it('a transient refusal retries that recipient only, and a digest carries only its period\'s rows', async () => {
    // east@ receives customer 10 only (routing.tags); risk@ receives both.
    const env = await setUp('risk@example.com', { routing: { tags: { east: { email: ['east@example.com'] } } } });
    await mediumEvent(11, '王五');
    await mediumEvent(10, '李四');
    const cutoff = Date.now();
    // Recorded after the digest was due (the job runs late): it belongs to the next period.
    const late = await mediumEvent(11, '赵六');
    sink.refuseRecipient('east@example.com', { code: 451, message: '4.3.0 try again later', times: 1 });
    await h.startWorker(env, FAST);

    const run = await runDigest(cutoff, { attempts: 3 });
    expect(run.state).toBe('completed');
    // Each recipient exactly once, even though the job ran twice.
    expect(to(sink.received, 'risk@example.com').map((m) => m.parsed.subject)).toEqual([`【预警日报】${run.period} 共2条`]);
    expect(to(sink.received, 'east@example.com').map((m) => m.parsed.subject)).toEqual([`【预警日报】${run.period} 共1条`]);
    expect(to(sink.received, 'risk@example.com')[0]?.parsed.text).not.toContain('赵六');
    expect(digestRows().filter((d) => d.event_id === late).map((d) => [d.target, d.status])).toEqual([['risk@example.com', 'pending']]);
    expect(digestRows().filter((d) => d.event_id !== late).every((d) => d.status === 'sent')).toBe(true);
    const east = digestRows().find((d) => d.target === 'east@example.com');
    expect(east).toMatchObject({ attempts: 2, last_error: null });
  });
});
