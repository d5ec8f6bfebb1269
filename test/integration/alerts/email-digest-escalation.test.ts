/**
 * E-mail delivery through a real worker to a real SMTP server (smtp-server + mailparser): immediate
 * mail for critical events in Chinese, the daily digest once per period with two workers, and
 * escalation of unacknowledged critical events until `alerts ack`.
 */
import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sendDigest } from '../../../src/app/send-digest.js';
import { shanghaiDay } from '../../../src/domain/dates.js';
import { JOB, QUEUE } from '../../../src/jobs/queue-names.js';
import { createDigestSender } from '../../../src/notify/digest-sender.js';
import { createSmtpTransport } from '../../../src/notify/smtp-transport.js';
import { testCompany, testEntries, testState } from '../../helpers/mock-provider-fixtures.js';
import { pollUntil } from '../../helpers/poll-until.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../../helpers/smtp-sink.js';
import { createWorkerHarness, sqlAll, type WorkerHarness } from '../../helpers/worker-harness.js';
import { deliverQueueIdle, FAST, openChecker, outbox, runCli, sweepTicks, writePolicy, type Checker, ONE_GRADE_POLICY } from './alerts-fixtures.js';

/** 1-2: on the serious-violations list (critical at baseline); 10-11: clean (medium after a change). */
const listed = (n: number) => testCompany(n, { seriousViolations: testEntries(1, `SV${n}`) });
const clean = (n: number) => testCompany(n);
const FROM = '信用监控 <credit@example.com>';

describe('e-mail, digest and escalation through the worker', () => {
  let redis: RedisServer;
  let h: WorkerHarness;
  let sink: SmtpSink;
  let checker: Checker;
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

  async function setUp(policy: unknown, mailTo: string): Promise<{ env: Record<string, string>; deliverQueue: Queue }> {
    h = await createWorkerHarness({ redisUrl: redis.url, state: testState(listed(1), listed(2), clean(10), clean(11)), env: { CM_CONFIG: ONE_GRADE_POLICY } });
    open.push({ close: () => h.cleanup() });
    sink = await startSmtpSink();
    open.push(sink);
    // Checked by `checker` only: no customer is due for the worker.
    const later = Date.now() + 86_400_000;
    await h.store.repos.customers.upsertMany([
      { uscc: listed(1).uscc, name: listed(1).name, tags: ['华东'] },
      { uscc: listed(2).uscc, name: listed(2).name, tags: [] },
      { uscc: clean(10).uscc, name: clean(10).name, tags: [] },
      { uscc: clean(11).uscc, name: clean(11).name, tags: [] },
    ]);
    h.store.handle.sqlite.prepare('update customers set next_check_at = ?').run(later);
    const env = { CM_SMTP_URL: sink.url, CM_MAIL_FROM: FROM, CM_MAIL_TO: mailTo, CM_CONFIG: writePolicy(h, policy) };
    checker = await openChecker(h, env);
    open.push(checker);
    const deliverQueue = new Queue(QUEUE.deliver, { connection: { url: redis.url }, prefix: h.prefix });
    open.push({ close: () => deliverQueue.close() });
    return { env, deliverQueue };
  }

  /** A medium event (legal representative changed) for a clean company: baseline, change, check again. */
  async function mediumEvent(n: number): Promise<string> {
    await checker.check(clean(n).uscc);
    await h.control.patchCompany(clean(n).uscc, { legalPerson: `李四${n}` });
    const outcome = await checker.check(clean(n).uscc);
    expect(outcome.events.map((e) => [e.type, e.tier])).toEqual([['registration.legal_representative_changed', 'medium']]);
    return outcome.events[0]?.id ?? '';
  }

  async function criticalEvent(n: number): Promise<string> {
    const outcome = await checker.check(listed(n).uscc);
    expect(outcome.events.map((e) => [e.type, e.tier])).toEqual([['serious_violation.listed', 'critical']]);
    return outcome.events[0]?.id ?? '';
  }

  const messageIds = (mails: readonly ReceivedMail[]): string[] => mails.map((m) => m.parsed.messageId ?? '');

  it('critical → an immediate Chinese e-mail (routing tag recipients too); medium → digest only', async () => {
    const { env, deliverQueue } = await setUp({ routing: { tags: { 华东: { email: ['east@example.com'] } } } }, 'risk@example.com');
    await h.startWorker(env, FAST);

    const medium = await mediumEvent(10);
    const critical = await criticalEvent(1);
    await pollUntil(() => sink.received.length >= 2, { timeoutMs: 10_000, what: 'two immediate e-mails' });
    await deliverQueueIdle(deliverQueue);

    expect(sink.received.map((m) => m.envelopeTo).sort()).toEqual([['east@example.com'], ['risk@example.com']]);
    // Exactly once per delivery: the Message-ID is derived from the outbox row's id.
    expect(new Set(messageIds(sink.received)).size).toBe(2);
    const name = listed(1).name;
    for (const mail of sink.received) {
      const { parsed } = mail;
      expect(parsed.subject).toBe(`【红色预警】${name}被列入严重违法失信名单`);
      expect(parsed.from?.text).toContain('信用监控');
      expect(parsed.headers.get('x-credit-monitor-event-id')).toBe(critical);
      expect(parsed.headers.get('x-credit-monitor-tier')).toBe('critical');
      // Text and HTML parts, both decoded to the same Chinese content.
      for (const part of [parsed.text ?? '', typeof parsed.html === 'string' ? parsed.html : '']) {
        expect(part).toContain(name);
        expect(part).toContain(listed(1).uscc);
        expect(part).toContain('严重违法失信');
        expect(part).toContain('立即停止新业务');
        expect(part).toContain(critical);
        expect(part).toContain('华东');
      }
      // On the wire the subject is MIME-encoded, never raw 8-bit in the header.
      const rawSubject = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(mail.raw.toString('latin1'))?.[1] ?? '';
      expect(rawSubject).toMatch(/=\?UTF-8\?/i);
    }

    const rows = outbox(h);
    expect(rows.filter((d) => d.event_id === critical).map((d) => [d.channel, d.target, d.status]).sort()).toEqual([
      ['email', 'east@example.com', 'sent'],
      ['email', 'risk@example.com', 'sent'],
    ]);
    expect(rows.filter((d) => d.event_id === medium).map((d) => [d.channel, d.target, d.status])).toEqual([
      ['email_digest', 'risk@example.com', 'pending'],
    ]);
    expect(sink.received.some((m) => (m.parsed.subject ?? '').includes(clean(10).name))).toBe(false);
  });

  it('the digest is sent once per period with two workers; its deliveries are marked sent', async () => {
    const { env } = await setUp({ digest: { time: '09:00' } }, 'risk@example.com,audit@example.com');
    const medium = [await mediumEvent(10), await mediumEvent(11)];
    await Promise.all([h.startWorker(env, FAST), h.startWorker(env, FAST)]);
    const sweep = new Queue(QUEUE.sweep, { connection: { url: redis.url }, prefix: h.prefix });
    open.push({ close: () => sweep.close() });
    // Both workers created the same daily scheduler, once.
    const schedulers = await sweep.getJobSchedulers();
    expect(schedulers.filter((s) => s.name === JOB.digest)).toHaveLength(1);

    // What the scheduler adds at digest time, added now.
    const first = await sweep.add(JOB.digest, {});
    await pollUntil(async () => (await first.getState()) === 'completed', { timeoutMs: 10_000, what: 'digest job done' });
    const period = shanghaiDay(first.timestamp);
    // event_count is the number of distinct events in the digest (sent to 2 recipients).
    expect(sqlAll(h.store, 'select period, event_count from digests')).toEqual([{ period, event_count: 2 }]);
    expect(sink.received.map((m) => m.envelopeTo[0]).sort()).toEqual(['audit@example.com', 'risk@example.com']);
    for (const mail of sink.received) {
      expect(mail.parsed.subject).toBe(`【预警日报】${period} 共2条`);
      for (const n of [10, 11]) expect(mail.parsed.text).toContain(clean(n).name);
      expect(mail.parsed.text).toContain('黄色预警');
    }
    const digestRows = outbox(h).filter((d) => d.channel === 'email_digest');
    expect(digestRows).toHaveLength(4);
    expect(digestRows.every((d) => d.status === 'sent' && medium.includes(d.event_id))).toBe(true);

    // Run again (a restart, a second scheduler, a retried job), twice at once on the two workers:
    // the period was sent, so nothing more goes out — even though a new medium event is pending now.
    await h.control.patchCompany(clean(10).uscc, { legalPerson: '王五' });
    expect((await checker.check(clean(10).uscc)).events).toHaveLength(1);
    const again = await Promise.all([sweep.add(JOB.digest, {}), sweep.add(JOB.digest, {})]);
    await pollUntil(async () => (await Promise.all(again.map((j) => j.getState()))).every((s) => s === 'completed'), {
      timeoutMs: 10_000,
      what: 'repeated digest jobs done',
    });
    const results = await Promise.all(again.map(async (j) => (await sweep.getJob(j.id ?? ''))?.returnvalue as unknown));
    expect(results).toEqual([`digest ${period} already sent`, `digest ${period} already sent`]);
    expect(sink.received).toHaveLength(2);
  });

  // Two runs of one period at the same moment (a stalled job re-run by the other worker while the
  // first is still sending): the period is claimed before sending, so only one sends.
  it('two digest runs of one period at the same moment send it once', async () => {
    const { env } = await setUp({}, 'risk@example.com');
    await mediumEvent(10);
    const config = h.config(env);
    const transport = createSmtpTransport(config.mail.smtpUrl ?? '');
    open.push({ close: () => { transport.close(); } });
    const deps = {
      store: { ...h.store.repos.digests, eventMessage: (id: string) => h.store.repos.deliveries.eventMessage(id) },
      send: createDigestSender({ transport, from: FROM }),
      clock: Date.now,
    };
    const period = { date: shanghaiDay(Date.now()), cutoff: Date.now() };
    const outcomes = await Promise.all([sendDigest(deps, period, AbortSignal.timeout(10_000)), sendDigest(deps, period, AbortSignal.timeout(10_000))]);
    const kinds: string[] = outcomes.map((o) => o.kind);
    expect(kinds.filter((k) => k === 'sent')).toHaveLength(1);
    expect(kinds.filter((k) => k !== 'sent')[0]).toMatch(/^(already_sent|in_progress)$/);
    expect(sink.received).toHaveLength(1);
    expect(outbox(h).filter((d) => d.channel === 'email_digest').map((d) => d.status)).toEqual(['sent']);
  });

  it('an unacknowledged critical event escalates at most maxTimes; `alerts ack` stops it', async () => {
    const policy = { escalation: { tiers: ['critical'], afterMinutes: 1, maxTimes: 2, to: ['boss@example.com'] } };
    const { env, deliverQueue } = await setUp(policy, 'risk@example.com');
    await h.startWorker(env, FAST);
    const [kept, acked] = [await criticalEvent(1), await criticalEvent(2)];
    await pollUntil(() => sink.received.length >= 2, { timeoutMs: 10_000, what: 'immediate e-mails' });
    await deliverQueueIdle(deliverQueue);
    const toBoss = (): ReceivedMail[] => sink.received.filter((m) => m.envelopeTo.includes('boss@example.com'));
    expect(toBoss()).toHaveLength(0);

    const state = () =>
      sqlAll<{ id: string; escalation_count: number }>(h.store, 'select id, escalation_count from events order by id').map((e) => [
        e.id === kept ? 'kept' : 'acked',
        e.escalation_count,
      ]);
    /** The escalation time passes (afterMinutes is coarse): move the clocks of both events back, then let ticks run. */
    const timePasses = async (): Promise<void> => {
      h.store.handle.sqlite
        .prepare('update events set detected_at = detected_at - 600000, last_escalated_at = last_escalated_at - 600000')
        .run();
      await sweepTicks(h, 2);
      await deliverQueueIdle(deliverQueue);
    };

    await timePasses();
    expect(state().sort()).toEqual([['acked', 1], ['kept', 1]]);
    expect(toBoss()).toHaveLength(2);

    const ack = await runCli(h, ['alerts', 'ack', acked, '--by', '张三', '--note', '已暂停合作'], env);
    expect(ack.code).toBe(0);
    expect(ack.stdout).toContain('acknowledged by 张三');

    await timePasses();
    expect(state().sort()).toEqual([['acked', 1], ['kept', 2]]);
    expect(toBoss()).toHaveLength(3);

    // maxTimes reached for one, acknowledged for the other: nothing more.
    await timePasses();
    expect(state().sort()).toEqual([['acked', 1], ['kept', 2]]);
    expect(toBoss()).toHaveLength(3);

    // Each round is its own delivery, sent once, with the event's Chinese subject.
    expect(new Set(messageIds(toBoss())).size).toBe(3);
    expect(toBoss().filter((m) => m.parsed.headers.get('x-credit-monitor-event-id') === kept)).toHaveLength(2);
    for (const mail of toBoss()) expect(mail.parsed.subject).toMatch(/^【红色预警】测试样例[12]有限公司被列入严重违法失信名单$/);
    expect(
      outbox(h)
        .filter((d) => d.channel === 'escalation')
        .map((d) => [d.event_id === kept ? 'kept' : 'acked', d.target, d.status])
        .sort(),
    ).toEqual([
      ['acked', 'boss@example.com#1', 'sent'],
      ['kept', 'boss@example.com#1', 'sent'],
      ['kept', 'boss@example.com#2', 'sent'],
    ]);
    expect(sqlAll(h.store, "select action, subject from audit_log where action = 'event.ack'")).toEqual([{ action: 'event.ack', subject: acked }]);
  });
});
