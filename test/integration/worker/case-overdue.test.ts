/**
 * The case workflow's wiring in a running worker (real Redis, the mock provider over HTTP, each
 * store): a listing opens a case and its `case.opened` reaches the webhook; once the case's
 * acknowledge deadline has passed (moved into the past in the store: the worker's clock is the
 * real one), the sweep tick raises `case.overdue` once and the outbox relay delivers it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testCompany, testEntries, testState } from '../../helpers/mock-provider-fixtures.js';
import { pollUntil } from '../../helpers/poll-until.js';
import { startPostgresServer, type PostgresServer } from '../../helpers/postgres-server.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { STORE_DIALECTS } from '../../helpers/test-stores.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';
import { createWorkerHarness, type WorkerHarness } from '../../helpers/worker-harness.js';
import type { Store } from '../../../src/wiring/open-store.js';
import { newSecret } from '../alerts/alerts-fixtures.js';

const LISTED = testCompany(1341, { abnormalOperations: testEntries(1, 'AO1341') });

describe.each(STORE_DIALECTS)('cases in the worker (%s)', (dialect) => {
  let redis: RedisServer;
  let postgres: PostgresServer | undefined;
  let receiver: WebhookReceiver;
  let h: WorkerHarness<Store> | undefined;
  const secret = newSecret();

  beforeAll(async () => {
    redis = await startRedisServer();
    if (dialect === 'postgres') postgres = await startPostgresServer();
    receiver = await startWebhookReceiver(secret);
  });
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
  });
  afterAll(async () => {
    await receiver.close();
    await postgres?.stop();
    await redis.stop();
  });

  const typesReceived = (): string[] => receiver.received.map((r) => (JSON.parse(r.body) as { type: string }).type);

  it('opens the case with the listing, and the sweep tick raises case.overdue once when its deadline has passed', { timeout: 60_000 }, async () => {
    h = await createWorkerHarness({ redisUrl: redis.url, state: testState(LISTED), dialect, ...(postgres ? { postgres } : {}) });
    const policy = join(h.dir, 'policy.json');
    writeFileSync(policy, JSON.stringify({ schedule: { byGrade: {} } }));
    await h.store.repos.customers.add({ uscc: LISTED.uscc, name: LISTED.name });
    await h.startWorker(
      { CM_CONFIG: policy, CM_WEBHOOK_URL: receiver.url, CM_WEBHOOK_SECRET: secret, CM_SCAN_INTERVAL: '24h' },
      { sweepEveryMs: 200, maintenanceEveryMs: 200, deliveryRetryBaseMs: 200, httpPort: 0 },
    );
    await pollUntil(() => typesReceived().includes('case.opened'), { timeoutMs: 20_000, intervalMs: 50, what: 'case.opened delivered' });
    const [kase] = await h.store.repos.cases.list({ limit: 10 });
    expect(kase).toMatchObject({ state: 'open', tier: 'high', overdueRaisedAt: { acknowledge: null, resolve: null } });

    // The acknowledge deadline passed a minute ago.
    await h.sql('update cases set acknowledge_due_at = ? where id = ?', Date.now() - 60_000, kase!.id);
    await pollUntil(() => typesReceived().includes('case.overdue'), { timeoutMs: 20_000, intervalMs: 50, what: 'case.overdue delivered' });
    const overdue = receiver.received.find((r) => (JSON.parse(r.body) as { type: string }).type === 'case.overdue')!;
    expect(overdue.verified).toBe(true);
    expect(JSON.parse(overdue.body)).toMatchObject({ type: 'case.overdue', tier: 'high', case: { id: kase!.id, state: 'open', deadline: 'acknowledge' } });

    // More ticks: still once.
    const raised = (await h.store.repos.cases.get(kase!.id))?.overdueRaisedAt.acknowledge;
    expect(raised).toEqual(expect.any(Number));
    const ticksFrom = Date.now();
    await pollUntil(async () => Number((await h!.store.repos.meta.get('last_sweep_at')) ?? 0) > ticksFrom + 500, { timeoutMs: 10_000, what: 'later sweep ticks' });
    expect(typesReceived().filter((t) => t === 'case.overdue')).toHaveLength(1);
    expect((await h.store.repos.cases.detail(kase!.id))?.audit.map((a) => a.action)).toEqual(['case.opened', 'case.overdue']);
  });
});
