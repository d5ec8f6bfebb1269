/**
 * Fault 4: the webhook receiver is down — it answers 500, then hangs (the worker's 10 s timeout) —
 * while events keep coming; then it is back. Every event arrives, accepted exactly once, each
 * retry under the same webhook-id with a byte-identical body and a valid signature.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCompany, testEntries, testState } from '../../helpers/mock-provider-fixtures.js';
import { assertExactlyOnce, customerRows, importCustomers, waitForDelivered, type Expected } from '../../helpers/fault-oracle.js';
import { startFaultRig, type FaultRig } from '../../helpers/fault-rig.js';
import { pollUntil } from '../../helpers/poll-until.js';
import { validUscc } from '../../helpers/valid-uscc.js';

const COUNT = 6;
const companies = Array.from({ length: COUNT }, (_, n) =>
  testCompany(600 + n, n % 2 === 0 ? { abnormalOperations: testEntries(1, `AO${n}`) } : {}));
const FAILURES = 10;
const HANGS = 2;

describe('webhook receiver down, then back', () => {
  let rig: FaultRig;

  beforeAll(async () => {
    rig = await startFaultRig({ state: testState(...companies), env: { CM_SCAN_INTERVAL: '2s' } });
    await importCustomers(rig, companies);
  });
  afterAll(async () => {
    await rig.cleanup();
  });

  it('delivers every event exactly once after the outage', { timeout: 120_000 }, async () => {
    const expected: Expected[] = companies.flatMap((c, n) =>
      n % 2 === 0 ? [{ uscc: c.uscc, type: 'abnormal_operations.listed', listedOn: '2025-01-15', baseline: true }] : []);
    // Down: the next FAILURES attempts get 500, the HANGS after them no answer at all; then 204.
    rig.receiver.script(...Array.from({ length: FAILURES }, () => ({ status: 500 })), ...Array.from({ length: HANGS }, () => ({ hang: true as const })));
    const worker = rig.spawnWorker();
    await pollUntil(async () => (await customerRows(rig)).every((c) => c.last_checked_at !== null), { timeoutMs: 30_000, what: 'baseline' });

    // New changes while the receiver is still down.
    for (let n = 1; n < COUNT; n += 2) {
      const listedOn = `2026-11-${String(n + 10).padStart(2, '0')}`;
      await rig.control.addEntry(validUscc(600 + n), 'serious-violations', {
        id: `SV-new-${n}`, listedOn, reason: '提交虚假材料取得公司登记', authority: '深圳市市场监督管理局',
      });
      expected.push({ uscc: validUscc(600 + n), type: 'serious_violation.listed', listedOn });
    }
    await pollUntil(() => rig.receiver.received.length >= FAILURES + HANGS, { timeoutMs: 60_000, what: 'the outage used up' });
    await waitForDelivered(rig, expected.length, 60_000);
    worker.child.kill('SIGTERM');
    expect(await worker.exited, worker.stderr()).toEqual({ code: 0, signal: null });

    const report = await assertExactlyOnce(rig, expected);
    // Every id that failed or hung was retried and then accepted; timestamps are fresh per attempt.
    const answers = new Map<string, Array<number | 'hang' | undefined>>();
    for (const r of rig.receiver.received) answers.set(r.headers['webhook-id'] ?? '', [...(answers.get(r.headers['webhook-id'] ?? '') ?? []), r.answer]);
    for (const [id, list] of answers) expect(list.at(-1), id).toBe(204);
    const retried = [...answers.values()].filter((list) => list.length > 1).length;
    expect(retried).toBeGreaterThan(0);
    expect(rig.receiver.received.filter((r) => r.answer === 'hang')).toHaveLength(HANGS);
    process.stderr.write(`[webhook-down] ${JSON.stringify({ expected: expected.length, retried, ...report })}\n`);
  });

  it('retries the first failure within 10 s with the default back-off', { timeout: 60_000 }, async () => {
    // The CLI's defaults for delivery retries (no --delivery-retry-base); short ticks only.
    const worker = rig.spawnWorker({ args: ['--sweep-every', '1s', '--maintenance-every', '1s'] });
    const before = rig.receiver.received.length;
    rig.receiver.script({ status: 503 });
    await rig.control.addEntry(validUscc(600), 'serious-violations', {
      id: 'SV-retry', listedOn: '2026-11-26', reason: '提交虚假材料取得公司登记', authority: '深圳市市场监督管理局',
    });
    await pollUntil(() => rig.receiver.received.length >= before + 2, { timeoutMs: 30_000, what: 'the failed attempt and its retry' });
    const [failed, retry] = rig.receiver.received.slice(before);
    expect(failed?.answer).toBe(503);
    expect(retry?.headers['webhook-id']).toBe(failed?.headers['webhook-id']);
    expect(retry?.body).toBe(failed?.body);
    const gapS = Number(retry?.headers['webhook-timestamp']) - Number(failed?.headers['webhook-timestamp']);
    // DESIGN: the first retry within 10 s (timestamps are whole seconds: allow one of rounding).
    expect(gapS).toBeGreaterThan(0);
    expect(gapS).toBeLessThanOrEqual(11);
    worker.child.kill('SIGTERM');
    expect(await worker.exited, worker.stderr()).toEqual({ code: 0, signal: null });
    process.stderr.write(`[webhook-down] first retry after ~${gapS} s (webhook-timestamp difference)\n`);
  });
});
