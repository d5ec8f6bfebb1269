/**
 * Grade changes end to end, on both stores: a real worker (redis-server, the mock provider over HTTP)
 * delivers `grade.changed` to a real Standard Webhooks receiver, with the grade and the strategy the
 * ERP enforces. One change comes from `figures import` (the built CLI, no provider call), one from a
 * listing read by a check.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDay } from '../../../src/domain/dates.js';
import { DEFAULT_STRATEGIES } from '../../../src/domain/strategy.js';
import { testCompany, testState } from '../../helpers/mock-provider-fixtures.js';
import { pollUntil } from '../../helpers/poll-until.js';
import { startPostgresServer, type PostgresServer } from '../../helpers/postgres-server.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { STORE_DIALECTS } from '../../helpers/test-stores.js';
import { validUscc } from '../../helpers/valid-uscc.js';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from '../../helpers/webhook-receiver.js';
import { createWorkerHarness, type WorkerHarness } from '../../helpers/worker-harness.js';
import type { Store } from '../../../src/wiring/open-store.js';
import { FAST, newSecret, runCli } from '../alerts/alerts-fixtures.js';

const CUSTOMER = testCompany(701);
const NOT_A_CUSTOMER = validUscc(799);
const AS_OF = shanghaiDay(Date.now() - 30 * 86_400_000);
const LISTING = { id: 'AO-701', listedOn: '2026-11-20', reason: '通过登记的住所或者经营场所无法联系的', authority: '北京市海淀区市场监督管理局' };

describe.each(STORE_DIALECTS)('grade changes delivered by webhook on %s', (dialect) => {
  let redis: RedisServer;
  let postgres: PostgresServer | undefined;
  const open: Array<{ close(): Promise<void> | void }> = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    if (dialect === 'postgres') postgres = await startPostgresServer();
  });
  afterEach(async () => {
    for (const o of open.reverse()) await o.close();
    open.length = 0;
  });
  afterAll(async () => {
    await postgres?.stop();
    await redis.stop();
  });

  /** A worker on the default grading rules, its webhook pointed at a verifying receiver. */
  async function setUp(): Promise<{ h: WorkerHarness<Store>; receiver: WebhookReceiver; env: Record<string, string> }> {
    const h = await createWorkerHarness({ redisUrl: redis.url, state: testState(CUSTOMER), dialect, ...(postgres ? { postgres } : {}) });
    open.push({ close: () => h.cleanup() });
    await h.store.repos.customers.add({ uscc: CUSTOMER.uscc, name: CUSTOMER.name, tags: ['华东'] });
    const secret = newSecret();
    const receiver = await startWebhookReceiver(secret);
    open.push(receiver);
    const policy = join(h.dir, 'policy.json');
    writeFileSync(policy, '{}');
    return { h, receiver, env: { CM_WEBHOOK_URL: receiver.url, CM_WEBHOOK_SECRET: secret, CM_CONFIG: policy } };
  }

  function figuresFile(h: WorkerHarness<Store>, name: string, onTime: number, fulfilment: number): string {
    const path = join(h.dir, name);
    writeFileSync(path, `uscc,asOf,onTimePaymentRate,fulfilmentRate,overdueAmount\n${CUSTOMER.uscc},${AS_OF},${onTime}%,${fulfilment},0\n${NOT_A_CUSTOMER},${AS_OF},99,100,0\n`);
    return path;
  }

  const gradeOf = async (h: WorkerHarness<Store>): Promise<string | undefined> => (await h.store.repos.customers.findByUscc(CUSTOMER.uscc))?.grade;
  const history = (h: WorkerHarness<Store>) => h.sql<{ previous_grade: string; grade: string }>('select previous_grade, grade from grade_history order by id');
  const bodies = (received: readonly ReceivedWebhook[]) => received.map((r) => JSON.parse(r.body) as Record<string, unknown>);

  it('figures import re-grades without a provider call, and grade.changed reaches the webhook with the strategy', { timeout: 60_000 }, async () => {
    const { h, receiver, env } = await setUp();
    await h.startWorker(env, FAST);
    // The baseline: no figures yet, so 一般, recorded without an event.
    await pollUntil(async () => (await gradeOf(h)) === 'fair', { timeoutMs: 15_000, what: 'the first grade' });
    expect(await h.sql('select id from events')).toEqual([]);
    await h.control.resetStats();

    const better = await runCli(h, ['figures', 'import', figuresFile(h, 'better.csv', 97, 99)], env);
    // The row of a code not in the register is rejected: exit 1, the valid row imported all the same.
    expect(better.code).toBe(1);
    expect(better.stderr).toContain(`better.csv: rejected line 3: uscc ${NOT_A_CUSTOMER}: no such customer in the register`);
    expect(better.stdout).toContain(`grade ${CUSTOMER.uscc}: fair -> good (rule good)`);
    expect(better.stdout).toMatch(/imported 1 \(created 1, updated 0, unchanged 0\); rejected 1; duplicates 0; re-graded 1 \(1 changed, 1 event\(s\)\)/);

    await pollUntil(() => receiver.received.length >= 1, { timeoutMs: 15_000, what: 'the grade change delivered' });
    const [request] = receiver.received;
    expect(request?.verified).toBe(true);
    expect(bodies(receiver.received)).toEqual([
      {
        id: expect.any(String) as string,
        type: 'grade.changed',
        tier: 'low',
        baseline: false,
        detectedAt: expect.any(String) as string,
        customer: { uscc: CUSTOMER.uscc, name: CUSTOMER.name, tags: ['华东'] },
        change: { field: 'grade', before: 'fair', after: 'good' },
        grade: { grade: 'good', rule: 'good' },
        strategy: { ...DEFAULT_STRATEGIES.good },
        source: 'erp',
      },
    ]);
    // No provider was asked.
    expect((await h.control.stats()).requestsTotal).toBe(0);
    expect((await history(h)).map((r) => `${r.previous_grade}→${r.grade}`)).toEqual(['unrated→fair', 'fair→good']);

    // The same file again: nothing changes, nothing is raised.
    const again = await runCli(h, ['figures', 'import', figuresFile(h, 'better.csv', 97, 99)], env);
    expect(again.stdout).toMatch(/unchanged 1\); rejected 1; duplicates 0; re-graded 1 \(0 changed, 0 event\(s\)\)/);
    expect(await h.sql('select id from events')).toHaveLength(1);

    // Worse figures the same day: a fall, medium, delivered with the strategy of 一般.
    const worse = await runCli(h, ['figures', 'import', figuresFile(h, 'worse.csv', 60, 99), '--json'], env);
    expect(JSON.parse(worse.stdout)).toMatchObject({ updated: 1, gradeChanges: [{ uscc: CUSTOMER.uscc, before: 'good', after: 'fair', rule: 'fallback' }], events: 1 });
    // A medium fall opens a case too (cases.openAt medium): its case.opened arrives beside it.
    await pollUntil(() => receiver.received.length >= 3, { timeoutMs: 15_000, what: 'the second grade change and its case delivered' });
    const later = bodies(receiver.received).slice(1);
    expect(later.map((body) => body.type).sort()).toEqual(['case.opened', 'grade.changed']);
    expect(later.find((body) => body.type === 'grade.changed')).toMatchObject({ tier: 'medium', change: { before: 'good', after: 'fair' }, strategy: { ...DEFAULT_STRATEGIES.fair } });
    expect(await gradeOf(h)).toBe('fair');
  });

  it('a listing downgrades to risk in the check that reads it, and the webhook carries the order hold', { timeout: 60_000 }, async () => {
    const { h, receiver, env } = await setUp();
    // Figures before the first check: nothing to grade yet (never read), the customer stays unrated.
    const early = await runCli(h, ['figures', 'import', figuresFile(h, 'figures.csv', 97, 99)], env);
    expect(early.stdout).toMatch(/re-graded 1 \(0 changed, 0 event\(s\)\)/);
    expect(await gradeOf(h)).toBe('unrated');

    await h.startWorker(env, FAST);
    await pollUntil(async () => (await gradeOf(h)) === 'good', { timeoutMs: 15_000, what: 'the first grade' });
    await h.control.addEntry(CUSTOMER.uscc, 'abnormal-operations', LISTING);
    expect((await runCli(h, ['rescan', '--uscc', CUSTOMER.uscc], env)).code).toBe(0);

    // With the case the listing opened (cases.openAt medium).
    await pollUntil(() => receiver.received.length >= 3, { timeoutMs: 15_000, what: 'the listing, the grade change and the case delivered' });
    const byType = new Map(bodies(receiver.received).map((body) => [body.type, body]));
    expect([...byType.keys()].sort()).toEqual(['abnormal_operations.listed', 'case.opened', 'grade.changed']);
    expect(byType.get('grade.changed')).toMatchObject({
      tier: 'high',
      baseline: false,
      change: { field: 'grade', before: 'good', after: 'risk' },
      grade: { grade: 'risk', rule: 'abnormal-operations-in-force' },
      strategy: { paymentTermDays: 0, settlement: 'prepayment', depositPercent: 100, newOrders: 'blocked' },
      source: 'mock',
    });
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    // One check: both events were stored against the snapshot it wrote (the case it opened, against none).
    expect(await h.sql("select distinct snapshot_id from events where type not like 'case.%'")).toHaveLength(1);
    expect(await gradeOf(h)).toBe('risk');
  });
});
