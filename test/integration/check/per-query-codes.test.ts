/**
 * A provider code about one query (企查查 110 "the same query keeps failing, wait 2 h", 117) fails
 * that section for that customer: it counts towards monitoring.degraded, and the customer is not
 * asked again before the advised wait. Only account-wide limits (122 and the like) are rate limits
 * that record nothing and pause everyone. checkCustomer through the real 企查查 adapter and wiring.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCheckHarness, type CheckHarness } from '../../helpers/check-harness.js';
import { qccBaseInfo, startQichachaFake, type QichachaFake } from '../../helpers/qichacha-fake.js';
import { validUscc } from '../../helpers/valid-uscc.js';

const USCC = validUscc(731);
const HOUR = 3_600_000;

let fake: QichachaFake;
let harness: CheckHarness | undefined;

beforeAll(async () => {
  fake = await startQichachaFake();
  fake.companies.set(USCC, { baseInfo: qccBaseInfo(USCC), exceptions: [], seriousIllegal: [] });
});
afterEach(async () => {
  fake.clear();
  await harness?.close();
  harness = undefined;
});
afterAll(async () => {
  await fake.close();
});

const env = { CM_PROVIDER: 'qichacha', CM_QICHACHA_KEY: 'demoKey', CM_QICHACHA_SECRET: 'demoSecret', CM_DEGRADED_AFTER: '2', CM_SCAN_INTERVAL: '1h' };

async function open(): Promise<CheckHarness> {
  harness = await openCheckHarness(fake.url, env);
  await harness.store.repos.customers.add({ uscc: USCC, name: '示例科技有限公司' });
  await harness.check(USCC); // the baseline
  return harness;
}

function nextCheckAt(h: CheckHarness): number {
  return (h.store.handle.sqlite.prepare('SELECT next_check_at AS at FROM customers WHERE uscc = ?').get(USCC) as { at: number }).at;
}

describe('a code about one query', () => {
  it.each([
    { status: '110', waitMs: 2 * HOUR },
    { status: '117', waitMs: 0 },
  ])('Status $status fails the section, counts towards degraded, and backs off this customer only', async ({ status, waitMs }) => {
    const h = await open();
    fake.failWith(status, { path: '/ExceptionCheck/', times: 2 });

    const before = Date.now();
    const first = await h.check(USCC);
    expect(first.failedSections.map((f) => [f.section, f.error.kind])).toEqual([['abnormalOperations', 'transient']]);
    expect(first.events).toEqual([]);
    expect(h.customerRow(USCC).consecutive_failures).toBe(1);
    // Asked again after the usual back-off (1 min), but never before the provider's advised wait.
    expect(nextCheckAt(h)).toBeGreaterThanOrEqual(before + Math.max(waitMs, 60_000));
    if (waitMs > 0) expect(nextCheckAt(h)).toBeLessThanOrEqual(Date.now() + waitMs);

    const second = await h.check(USCC);
    expect(second.events.map((e) => e.type)).toEqual(['monitoring.degraded']);
    expect(h.customerRow(USCC)).toMatchObject({ consecutive_failures: 2, degraded: 1 });
  });

  it('an account-wide limit (122) is a rate limit: nothing is recorded for the customer', async () => {
    const h = await open();
    fake.failWith('122', { path: '/ExceptionCheck/' });
    await expect(h.check(USCC)).rejects.toThrow(`check of ${USCC}: rate_limited`);
    expect(h.customerRow(USCC).consecutive_failures).toBe(0);
  });
});
