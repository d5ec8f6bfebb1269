/**
 * One case from listing to decision, on both stores, with an injected clock: a listing read by a
 * check opens a case, it is acknowledged in time, misses its resolve deadline (working days, a
 * weekend in between), and is resolved with `terminate`. The real mock provider over HTTP, the real
 * webhook channel to a verifying Standard Webhooks receiver, a real SMTP sink for the escalation
 * recipient; every step's webhook arrives once, and the audit log holds every step.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { raiseOverdueCases, acknowledgeCase, resolveCase } from '../../../src/app/case-workflow.js';
import { checkCustomer } from '../../../src/app/check-customer.js';
import { deliverOne, type DeliveryStore } from '../../../src/app/deliver.js';
import { loadConfig, type Config } from '../../../src/config/load-config.js';
import { createReleasers } from '../../../src/lifecycle/releasers.js';
import { createLogger } from '../../../src/logger.js';
import { openProvider } from '../../../src/main.js';
import { startMockProviderServer, type MockProviderServer } from '../../../src/providers/mock/server.js';
import { createCaseWorkflowDeps, createCheckDeps } from '../../../src/wiring/check-deps.js';
import { openChannels } from '../../../src/wiring/open-channels.js';
import { mockProviderControl, type MockProviderControl } from '../../helpers/mock-provider-control.js';
import { testCompany, testState } from '../../helpers/mock-provider-fixtures.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';
import { STORE_DIALECTS, useTestStores, type TestStore } from '../../helpers/test-stores.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';
import { newSecret } from '../alerts/alerts-fixtures.js';

const COMPANY = testCompany(1301);
const LISTING = { id: 'AO-1301', listedOn: '2026-11-02', reason: '通过登记的住所或者经营场所无法联系的', authority: '深圳市南山区市场监督管理局' };
// Monday 2026-11-02, 10:00 in Shanghai. A high case: acknowledge in 1 working day (end of Tuesday),
// resolve in 3 (end of Thursday 11-05).
const MONDAY_10 = Date.parse('2026-11-02T02:00:00Z');
const HOUR = 3_600_000;

describe.each(STORE_DIALECTS)('a case from listing to decision on %s (injected clock)', (dialect) => {
  const stores = useTestStores(dialect);
  let server: MockProviderServer;
  let control: MockProviderControl;
  let receiver: WebhookReceiver;
  let sink: SmtpSink;
  let dir: string;
  const secret = newSecret();

  beforeAll(async () => {
    server = await startMockProviderServer({ state: testState(COMPANY) });
    control = mockProviderControl(server);
    receiver = await startWebhookReceiver(secret);
    sink = await startSmtpSink();
    dir = mkdtempSync(join(tmpdir(), 'cm-cases-'));
  });
  afterEach(async () => {
    await control.reset();
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function configFor(t: TestStore): Config {
    const policy = join(dir, `policy-${dialect}.json`);
    writeFileSync(policy, JSON.stringify({
      cases: { openAt: 'medium', deadlines: { high: { acknowledgeDays: 1, resolveDays: 3 } } },
      escalation: { to: ['boss@example.com'] },
      // Every grade on one cadence: the schedule is not what this test is about.
      schedule: { byGrade: {} },
      calendar: { overridesFile: null },
    }));
    return loadConfig({
      CM_DB: t.cmDb, CM_CONFIG: policy, CM_PROVIDER: 'mock', CM_PROVIDER_URL: server.url,
      CM_WEBHOOK_URL: receiver.url, CM_WEBHOOK_SECRET: secret,
      CM_SMTP_URL: sink.url, CM_MAIL_FROM: 'credit@example.com', CM_MAIL_TO: 'risk@example.com',
    }, process.cwd());
  }

  it('listing → case opened → acknowledged → overdue on resolveDays → resolved with terminate; each webhook once, every step audited', async () => {
    const t = await stores.open();
    const config = configFor(t);
    let now = MONDAY_10 - 24 * HOUR;
    const clock = (): number => now;
    const releasers = createReleasers({ onProblem: () => undefined });
    const provider = await openProvider(config, createLogger('silent'));
    releasers.push('provider', () => provider.provider.close());
    // Signed with the real time: a receiver refuses a timestamp days old (replay protection).
    const { channels } = openChannels(config, { logger: createLogger('silent'), clock: Date.now }, releasers);
    try {
      await t.repos.customers.add({ uscc: COMPANY.uscc, name: COMPANY.name, tags: ['华南'] });
      const check = createCheckDeps(config, t.store, provider.provider, clock);
      const workflow = createCaseWorkflowDeps(config, t.store, clock);
      const deliveryStore: DeliveryStore = {
        ...t.repos.deliveries,
        disabledWebhookTargets: () => t.repos.webhookTargets.disabledWebhookTargets(),
        disableWebhookTarget: (name, reason, at) => t.repos.webhookTargets.disableWebhookTarget(name, reason, at),
      };
      /** Sends every pending outbox row once, as the deliver worker would. */
      const deliverPending = async (): Promise<void> => {
        // Digest rows wait for the daily digest job; the rest go at once.
        const pending = await t.sql<{ id: string }>("select id from deliveries where status = 'pending' and channel <> 'email_digest' order by created_at, id");
        for (const { id } of pending) {
          const outcome = await deliverOne({ store: deliveryStore, channels, clock, random: () => 0.5 }, id, AbortSignal.timeout(10_000));
          expect(outcome.kind, `delivery ${id}`).toBe('sent');
        }
      };
      const webhookTypes = (): string[] => receiver.received.map((r) => (JSON.parse(r.body) as { type: string }).type);

      // The baseline: a clean company, no case.
      expect((await checkCustomer(check, COMPANY.uscc, AbortSignal.timeout(10_000))).kind).toBe('checked');
      expect(await t.repos.cases.list({ limit: 10 })).toEqual([]);

      // Monday 10:00: the listing is read, and opens a high case in the same transaction.
      await control.addEntry(COMPANY.uscc, 'abnormal-operations', LISTING);
      now = MONDAY_10;
      const listed = await checkCustomer(check, COMPANY.uscc, AbortSignal.timeout(10_000));
      if (listed.kind !== 'checked') throw new Error(listed.kind);
      expect(listed.events.map((e) => e.type)).toEqual(['abnormal_operations.listed', 'grade.changed']);
      const [opened] = await t.repos.cases.list({ limit: 10 });
      if (opened === undefined) throw new Error('no case opened');
      expect(opened).toMatchObject({
        state: 'open',
        tier: 'high',
        acknowledgeDue: { day: '2026-11-03', provisional: false },
        resolveDue: { day: '2026-11-05', provisional: false },
      });
      await deliverPending();

      // Tuesday 09:00, in time: acknowledged (and with it the case's events: escalation stops).
      now = MONDAY_10 + 23 * HOUR;
      expect((await acknowledgeCase(workflow, opened.id, '王敏', '已联系客户核实', 'cli:tester')).outcome).toBe('done');
      expect((await raiseOverdueCases(workflow)).raised).toBe(0);

      // Friday 09:00: the end of Thursday has passed without a decision. Raised once, however often asked.
      now = MONDAY_10 + (3 * 24 + 23) * HOUR;
      expect((await raiseOverdueCases(workflow)).raised).toBe(1);
      expect((await raiseOverdueCases(workflow)).raised).toBe(0);
      expect((await t.repos.cases.list({ overdueAt: now, limit: 10 })).map((c) => c.id)).toEqual([opened.id]);
      await deliverPending();

      // Friday 11:00: resolved with terminate.
      now += 2 * HOUR;
      const resolved = await resolveCase(workflow, opened.id, { by: '李强', decision: 'terminate', note: '列入异常名录且无法联系，终止合作', actor: 'cli:tester' });
      expect(resolved).toMatchObject({ outcome: 'done', case: { state: 'resolved', decision: 'terminate' } });
      expect((await resolveCase(workflow, opened.id, { by: '李强', decision: 'continue', note: 'again', actor: 'cli:tester' })).outcome).toBe('refused');
      await deliverPending();
      expect(await t.repos.cases.list({ overdueAt: now, limit: 10 })).toEqual([]);

      // Each step's webhook exactly once, verified, under a webhook-id of its own.
      expect(receiver.received.every((r) => r.verified)).toBe(true);
      expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(receiver.received.length);
      expect(webhookTypes().sort()).toEqual(['abnormal_operations.listed', 'case.opened', 'case.overdue', 'case.resolved', 'grade.changed']);
      const body = (type: string): Record<string, unknown> => JSON.parse(receiver.received.find((r) => JSON.parse(r.body).type === type)!.body) as Record<string, unknown>;
      const listing = body('abnormal_operations.listed');
      expect(body('case.opened').case).toEqual({
        id: opened.id, state: 'open', decision: null, dueAt: '2026-11-03T16:00:00.000Z', eventIds: expect.arrayContaining([listing.id]), provisional: false,
      });
      expect(body('case.overdue').case).toMatchObject({ id: opened.id, state: 'acknowledged', deadline: 'resolve', dueAt: '2026-11-05T16:00:00.000Z' });
      expect(body('case.resolved')).toMatchObject({
        type: 'case.resolved',
        customer: { uscc: COMPANY.uscc, name: COMPANY.name, tags: ['华南'] },
        case: { id: opened.id, state: 'resolved', decision: 'terminate', dueAt: null, note: '列入异常名录且无法联系，终止合作' },
      });

      // The escalation recipient got the overdue notice once, in Chinese.
      const overdueMails = sink.received.filter((m) => m.envelopeTo.includes('boss@example.com'));
      expect(overdueMails.map((m) => m.parsed.subject)).toEqual([expect.stringContaining(`案件${opened.id}逾期未办结`)]);

      // The record: every step, in order, with who.
      const detail = await t.repos.cases.detail(opened.id);
      expect(detail?.audit.map((a) => [a.action, a.actor])).toEqual([
        ['case.opened', 'system'],
        ['case.acknowledged', 'cli:tester'],
        ['case.overdue', 'system'],
        ['case.resolved', 'cli:tester'],
      ]);
      expect(detail?.audit[3]?.details).toMatchObject({ by: '李强', decision: 'terminate' });
      expect(detail?.events.map((e) => e.type)).toEqual(['abnormal_operations.listed', 'grade.changed', 'case.opened', 'case.overdue', 'case.resolved']);
      // Sent, but the digest's rows: those wait for the day's digest.
      expect(detail?.deliveries.filter((d) => d.status !== 'sent').map((d) => [d.channel, d.status])).toEqual(
        detail?.deliveries.filter((d) => d.channel === 'email_digest').map(() => ['email_digest', 'pending']),
      );
    } finally {
      await releasers.releaseAll();
    }
  });
});
