/**
 * Fault 8, "one customer's answer must not stop everyone": the built worker against 企查查, where
 * every query about one customer answers 110 (the same query keeps failing, wait 2 h). That
 * customer's sections fail, it is degraded and asked again no sooner than 2 h; every other customer
 * is checked as usual, and the scan queue is never paused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testState } from '../../helpers/mock-provider-fixtures.js';
import { customerRows, importCustomers, storedEvents } from '../../helpers/fault-oracle.js';
import { startFaultRig, type FaultRig } from '../../helpers/fault-rig.js';
import { pollUntil } from '../../helpers/poll-until.js';
import { qccBaseInfo, startQichachaFake, type QichachaFake } from '../../helpers/qichacha-fake.js';
import { validUscc } from '../../helpers/valid-uscc.js';

const customers = Array.from({ length: 6 }, (_, n) => ({ uscc: validUscc(760 + n), name: `逐查测试${n}有限公司` }));
/** Imported first, so that with one check at a time it is checked before everyone else. */
const LOCKED = customers[0]!.uscc;
const HOUR = 3_600_000;

describe('企查查 110 for one customer', () => {
  let fake: QichachaFake;
  let rig: FaultRig;

  beforeAll(async () => {
    fake = await startQichachaFake();
    for (const c of customers) fake.companies.set(c.uscc, { baseInfo: qccBaseInfo(c.uscc, { Name: c.name }), exceptions: [], seriousIllegal: [] });
    rig = await startFaultRig({
      state: testState(),
      env: {
        CM_PROVIDER: 'qichacha', CM_PROVIDER_URL: fake.url, CM_QICHACHA_KEY: fake.key, CM_QICHACHA_SECRET: fake.secret,
        CM_DEGRADED_AFTER: '1', CM_RATE_LIMIT_PAUSE: '1s',
      },
    });
    await importCustomers(rig, customers);
  });
  afterAll(async () => {
    await rig.cleanup();
    await fake.close();
  });

  it('backs off that customer only, degraded; the others are checked and the queue never pauses', { timeout: 60_000 }, async () => {
    fake.failWith('110', { path: LOCKED, times: 1_000 });
    const started = Date.now();
    const worker = rig.spawnWorker({ args: ['--concurrency', '1', '--sweep-every', '1s', '--maintenance-every', '1s'] });
    await pollUntil(async () => (await customerRows(rig)).every((c) => c.last_checked_at !== null), { timeoutMs: 30_000, intervalMs: 100, what: 'every customer checked' });

    const rows = await customerRows(rig);
    expect(rows.map((c) => [c.uscc, c.consecutive_failures])).toEqual(customers.map((c) => [c.uscc, c.uscc === LOCKED ? 1 : 0]));
    const events = await storedEvents(rig);
    expect(events.map((e) => [e.customer.uscc, e.type])).toEqual([[LOCKED, 'monitoring.degraded']]);
    const next = rig.db().prepare('select next_check_at as at from customers where uscc = ?').get(LOCKED) as { at: number };
    expect(next.at, 'the locked customer is not asked again before 2 h').toBeGreaterThanOrEqual(started + 2 * HOUR);
    expect(worker.stderr()).not.toContain('provider rate limit: pausing');

    worker.child.kill('SIGTERM');
    expect(await worker.exited, worker.stderr()).toEqual({ code: 0, signal: null });
  });
});
