/**
 * Issue 9 point 11: failures someone sees. Through a real worker, a real webhook receiver and a
 * real SMTP server: each failed attempt is logged at warn (channel, target name, attempt, next
 * retry, error without secrets), a delivery that goes dead at error; `status` says which channels
 * are failing now (and stops saying so once the target accepts again); an SMTP server without
 * STARTTLS gets an error that names `?starttls=off`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../../../src/main.js';
import { captureLogs, type LogCapture } from '../../helpers/log-capture.js';
import { testCompany, testEntries, testState } from '../../helpers/mock-provider-fixtures.js';
import { pollUntil } from '../../helpers/poll-until.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';
import { createWorkerHarness, type WorkerHarness } from '../../helpers/worker-harness.js';
import { FAST, newSecret, openChecker, outbox, runCli, type Checker, ONE_GRADE_POLICY } from './alerts-fixtures.js';

/** Each on the serious-violations list: one critical baseline event per first check. */
const listed = (n: number) => testCompany(n, { seriousViolations: testEntries(1, `SV${n}`) });
const WARN = 40;
const ERROR = 50;

interface FailingChannel {
  channel: string;
  target: string;
  since: string;
  failedAttempts: number;
  lastError: string | null;
}

describe('failed deliveries are logged and shown by status', () => {
  let redis: RedisServer;
  let h: WorkerHarness;
  let checker: Checker;
  let logs: LogCapture;
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

  async function setUp(env: Record<string, string>): Promise<void> {
    h = await createWorkerHarness({ redisUrl: redis.url, state: testState(listed(1), listed(2), listed(3)), env: { CM_CONFIG: ONE_GRADE_POLICY } });
    open.push({ close: () => h.cleanup() });
    await h.store.repos.customers.upsertMany([1, 2, 3].map((n) => ({ uscc: listed(n).uscc, name: listed(n).name, tags: [] })));
    h.store.handle.sqlite.prepare('update customers set next_check_at = ?').run(Date.now() + 86_400_000);
    checker = await openChecker(h, env);
    open.push(checker);
    logs = captureLogs('info');
    const worker = await startWorker(h.config(env), logs.logger, FAST);
    open.push({ close: () => worker.close(true) });
  }

  /** One critical event recorded by a check; the worker's outbox relay sends it within a round. */
  async function criticalEvent(n: number): Promise<string> {
    const outcome = await checker.check(listed(n).uscc);
    return outcome.events[0]?.id ?? '';
  }

  async function failing(env: Record<string, string>): Promise<FailingChannel[]> {
    const status = await runCli(h, ['status', '--json'], env);
    expect(status.code, status.stderr).toBe(0);
    return (JSON.parse(status.stdout) as { failingChannels: FailingChannel[] }).failingChannels;
  }

  it('webhook: a failed attempt at warn, the dead one at error, no secret; status names the target until it accepts again', async () => {
    const secret = newSecret();
    const receiver: WebhookReceiver = await startWebhookReceiver(secret);
    open.push(receiver);
    const env = { CM_WEBHOOK_URL: `${receiver.url}?token=url-canary`, CM_WEBHOOK_SECRET: secret };
    await setUp(env);
    receiver.script({ status: 503 }, { status: 422, body: 'schema mismatch' });

    const event = await criticalEvent(1);
    await pollUntil(() => outbox(h).some((d) => d.event_id === event && d.status === 'dead'), { timeoutMs: 10_000, what: 'dead delivery' });
    const lines = logs.lines().filter((l) => l.channel === 'webhook');
    const warn = lines.find((l) => l.level === WARN);
    expect(warn).toMatchObject({ channel: 'webhook', target: 'default', attempt: 1, err: expect.stringMatching(/503/) });
    expect(Date.parse(String(warn?.nextRetryAt))).toBeGreaterThan(Date.now() - 10_000);
    expect(warn?.msg).toMatch(/^delivery attempt failed: webhook to default, attempt 1, next retry at /);
    const dead = lines.find((l) => l.level === ERROR);
    expect(dead).toMatchObject({ channel: 'webhook', target: 'default', attempt: 2, nextRetryAt: null, err: expect.stringMatching(/422/) });
    expect(dead?.msg).toMatch(/^delivery dead: webhook to default/);
    const text = JSON.stringify(logs.lines());
    expect(text).not.toContain(secret);
    expect(text).not.toContain('url-canary');

    expect(await failing(env)).toEqual([
      { channel: 'webhook', target: 'default', since: expect.any(String), failedAttempts: 2, lastError: expect.stringMatching(/422/) },
    ]);
    const status = await runCli(h, ['status'], env);
    expect(status.stdout).toMatch(/^failing: webhook default since \S+, 2 failed attempt\(s\): .*422/m);

    // The receiver accepts again: the target is no longer failing now (the dead row still counts).
    const next = await criticalEvent(2);
    await pollUntil(() => outbox(h).some((d) => d.event_id === next && d.status === 'sent'), { timeoutMs: 10_000, what: 'sent' });
    expect(await failing(env)).toEqual([]);
    expect((await runCli(h, ['status'], env)).stdout).toContain('failing channels: none');
  });

  it('e-mail to a server without STARTTLS: the warning and status name ?starttls=off; nothing leaks the password', async () => {
    const sink: SmtpSink = await startSmtpSink();
    open.push(sink);
    const env = { CM_SMTP_URL: sink.url.replace('?starttls=off', ''), CM_MAIL_FROM: 'credit@example.com', CM_MAIL_TO: 'risk@example.com' };
    await setUp(env);
    await criticalEvent(3);
    await pollUntil(() => logs.lines().some((l) => l.channel === 'email' && l.level === WARN), { timeoutMs: 10_000, what: 'warning' });
    const warn = logs.lines().find((l) => l.channel === 'email' && l.level === WARN);
    expect(warn).toMatchObject({ target: 'risk@example.com', attempt: 1, err: expect.stringMatching(/does not offer STARTTLS.*\?starttls=off/) });
    expect(JSON.stringify(logs.lines())).not.toContain(sink.password);
    const [email] = await failing(env);
    expect(email).toMatchObject({ channel: 'email', target: 'risk@example.com', lastError: expect.stringMatching(/\?starttls=off/) });
  });

  it('status names a channel that holds pending deliveries but is not configured', async () => {
    const sink: SmtpSink = await startSmtpSink();
    open.push(sink);
    const withMail = { CM_SMTP_URL: sink.url, CM_MAIL_FROM: 'credit@example.com', CM_MAIL_TO: 'risk@example.com' };
    h = await createWorkerHarness({ redisUrl: redis.url, state: testState(listed(1)), env: { CM_CONFIG: ONE_GRADE_POLICY } });
    open.push({ close: () => h.cleanup() });
    await h.store.repos.customers.upsertMany([{ uscc: listed(1).uscc, name: listed(1).name, tags: [] }]);
    checker = await openChecker(h, withMail);
    open.push(checker);
    await checker.check(listed(1).uscc);
    // The e-mail channel is gone from the configuration: its rows would wait for ever, unseen.
    expect(await failing({ CM_SMTP_URL: '', CM_MAIL_FROM: '', CM_MAIL_TO: '' })).toEqual([
      {
        channel: 'email',
        target: '*',
        since: expect.any(String),
        failedAttempts: 0,
        lastError: 'channel email is not configured (CM_SMTP_URL and CM_MAIL_FROM): 1 pending deliveries wait for it',
      },
    ]);
  });
});
