/**
 * Fault (issue 9 point 9): the daily digest against a mail server that refuses one recipient for
 * good (550, and it is the first recipient) and another once (451), through the built CLI's worker.
 * Every other recipient gets the period's digest exactly once; the refused one's rows are dead on
 * their own, shown by `status` and `events`, and a re-drive sends them with the next digest.
 */
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDay } from '../../../src/domain/dates.js';
import { JOB, QUEUE } from '../../../src/jobs/queue-names.js';
import { testCompany, testEntries, testState } from '../../helpers/mock-provider-fixtures.js';
import { customerRows, deliveryRows, importCustomers, waitForDelivered } from '../../helpers/fault-oracle.js';
import { startFaultRig, type FaultRig } from '../../helpers/fault-rig.js';
import { pollUntil } from '../../helpers/poll-until.js';

const COUNT = 6;
const companies = Array.from({ length: COUNT }, (_, n) =>
  testCompany(900 + n, n % 2 === 0 ? { abnormalOperations: testEntries(1, `AO${n}`) } : {}));
const LISTED = companies.filter((_, n) => n % 2 === 0).length;
const RECIPIENTS = ['bad@example.test', 'risk@example.test', 'flaky@example.test', 'audit@example.test'];
const DAY_MS = 86_400_000;

describe('a digest recipient refused by the mail server', () => {
  let rig: FaultRig;
  let sweep: Queue;

  beforeAll(async () => {
    rig = await startFaultRig({
      state: testState(...companies),
      env: { CM_MAIL_TO: RECIPIENTS.join(',') },
      // Every tier waits for the digest: the baseline listings are what it carries (and no cases,
      // whose case.opened would go in it too).
      policy: { routing: { email: { immediateTiers: [], digestTiers: ['critical', 'high', 'medium', 'low', 'info'] } }, cases: { openAt: null } },
    });
    await importCustomers(rig, companies);
    sweep = new Queue(QUEUE.sweep, { connection: { url: rig.redis.url }, prefix: rig.prefix });
  });
  afterAll(async () => {
    await sweep.close();
    await rig.cleanup();
  });

  /** What the digest scheduler adds when the digest of the day of `at` is due, with quick retries. */
  async function digestJob(at: number): Promise<{ state: string; result: unknown }> {
    const job = await sweep.add(JOB.digest, {}, { timestamp: at, attempts: 4, backoff: { type: 'fixed', delay: 500 } });
    await pollUntil(async () => ['completed', 'failed'].includes(await job.getState()), { timeoutMs: 30_000, what: 'digest job done' });
    const done = await sweep.getJob(job.id ?? '');
    return { state: await job.getState(), result: done?.returnvalue ?? done?.failedReason };
  }

  const mailsTo = (address: string) => rig.smtp.received.filter((m) => m.envelopeTo.includes(address));
  const digestRows = async () => (await deliveryRows(rig)).filter((d) => d.channel === 'email_digest');
  const targetOf = (id: string): string =>
    (rig.db().prepare('select target from deliveries where id = ?').get(id) as { target: string }).target;

  it('delivers every other recipient once; the refused one is dead, visible and re-drivable', { timeout: 120_000 }, async () => {
    rig.smtp.refuseRecipient('bad@example.test', { code: 550, message: '5.1.1 <bad@example.test>: mailbox unavailable' });
    rig.smtp.refuseRecipient('flaky@example.test', { code: 451, message: '4.7.1 greylisted, try again later', times: 1 });
    const worker = rig.spawnWorker();
    await pollUntil(async () => (await customerRows(rig)).every((c) => c.last_checked_at !== null), { timeoutMs: 30_000, what: 'baseline' });
    await waitForDelivered(rig, LISTED, 30_000);
    expect(rig.smtp.received).toHaveLength(0);

    const now = Date.now();
    const period = shanghaiDay(now);
    expect(await digestJob(now)).toMatchObject({ state: 'completed' });
    for (const address of ['risk@example.test', 'flaky@example.test', 'audit@example.test']) {
      expect(mailsTo(address).map((m) => m.parsed.subject), address).toEqual([`【预警日报】${period} 共${LISTED}条`]);
    }
    expect(mailsTo('bad@example.test')).toHaveLength(0);
    const byState = (rows: Awaited<ReturnType<typeof digestRows>>) => rows.map((d) => `${targetOf(d.id)} ${d.status}`).sort();
    expect(byState(await digestRows())).toEqual(
      RECIPIENTS.flatMap((r) => Array.from({ length: LISTED }, () => `${r} ${r === 'bad@example.test' ? 'dead' : 'sent'}`)).sort(),
    );

    // The same period again (a second job, a restart): nothing more is sent.
    expect(await digestJob(now)).toMatchObject({ state: 'completed', result: `digest ${period} already sent` });
    expect(rig.smtp.received).toHaveLength(3);

    const status = await rig.cli(['status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    // Failing now: the refused recipient only (the greylisting one was accepted on its retry).
    expect(JSON.parse(status.stdout)).toMatchObject({
      deadDeliveries: LISTED,
      failingChannels: [{ channel: 'email_digest', target: 'bad@example.test', failedAttempts: 1, lastError: expect.stringMatching(/SMTP 550/) }],
    });
    // The worker said so in its log (JSON lines on stderr): the transient refusal at warn, the dead one at error.
    const logged = worker.stderr().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged.find((l) => l.target === 'flaky@example.test')).toMatchObject({ level: 40, channel: 'email_digest', attempt: 1, period });
    expect(logged.find((l) => l.target === 'bad@example.test')).toMatchObject({ level: 50, channel: 'email_digest', err: expect.stringMatching(/550/) });
    expect(worker.stderr()).not.toContain(rig.smtp.password);
    const events = await rig.cli(['events', '--json']);
    const listed = (JSON.parse(events.stdout) as { events: Array<{ deadDeliveries?: Array<{ channel: string; target: string }> }> }).events;
    expect(listed).toHaveLength(LISTED);
    for (const e of listed) expect(e.deadDeliveries?.map((d) => `${d.channel} ${d.target}`)).toEqual(['email_digest bad@example.test']);

    // The mailbox exists now: re-driven, its rows go with the next day's digest, to it alone.
    rig.smtp.refuseRecipient('bad@example.test', undefined);
    const redrive = await rig.cli(['alerts', 'redrive', '--all-dead']);
    expect(redrive.stdout).toContain(`re-driven ${LISTED} dead deliveries`);
    const tomorrow = now + DAY_MS;
    expect(await digestJob(tomorrow)).toMatchObject({ state: 'completed' });
    expect(mailsTo('bad@example.test').map((m) => m.parsed.subject)).toEqual([`【预警日报】${shanghaiDay(tomorrow)} 共${LISTED}条`]);
    expect(rig.smtp.received).toHaveLength(4);
    expect((await digestRows()).every((d) => d.status === 'sent')).toBe(true);
    expect(JSON.parse((await rig.cli(['status', '--json'])).stdout)).toMatchObject({ deadDeliveries: 0, failingChannels: [] });

    worker.child.kill('SIGTERM');
    expect(await worker.exited, worker.stderr()).toEqual({ code: 0, signal: null });
  });
});
