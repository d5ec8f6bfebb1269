/**
 * Fault 7, a change of provider (issue 9, points 1 and 2) through the built worker: the store built
 * by "another provider" (its snapshots restamped), a demo fallback refused, a deliberate switch with
 * one section failing for ever, and a switch back. The oracle: exactly the expected events, once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCompany, testEntries, testState } from '../../helpers/mock-provider-fixtures.js';
import { assertExactlyOnce, customerRows, importCustomers, waitForDelivered, type Expected } from '../../helpers/fault-oracle.js';
import { startFaultRig, type FaultRig, type WorkerProcess } from '../../helpers/fault-rig.js';
import { pollUntil } from '../../helpers/poll-until.js';

// 0–3 change while serious violations keep failing; 4–7 are listed, and the demo provider knows none of it.
const companies = Array.from({ length: 8 }, (_, n) =>
  testCompany(500 + n, n === 2 || n >= 4 ? { abnormalOperations: testEntries(2, `AO${n}`) } : {}));
const at = (n: number): string => companies[n]!.uscc;

describe('a change of provider', () => {
  let rig: FaultRig;
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    rig = await startFaultRig({ state: testState(...companies), env: { CM_DEGRADED_AFTER: '10' } });
    await importCustomers(rig, companies);
  });
  afterAll(async () => {
    await rig.cleanup();
  });

  const checkedSince = async (mark: number): Promise<void> => {
    await pollUntil(async () => (await customerRows(rig)).every((c) => (c.last_checked_at ?? 0) > mark), { timeoutMs: 30_000, intervalMs: 100, what: 'every customer checked' });
  };
  /** A `rescan --all` and its checks done. */
  const rescanAll = async (): Promise<void> => {
    const mark = Math.max(...(await customerRows(rig)).map((c) => c.last_checked_at ?? 0));
    const result = await rig.cli(['rescan', '--all']);
    expect(result.code, result.stderr).toBe(0);
    await checkedSince(mark);
  };
  const stop = async (): Promise<void> => {
    worker?.child.kill('SIGTERM');
    expect(await worker?.exited, worker?.stderr()).toEqual({ code: 0, signal: null });
  };
  /** What a real provider's adapter would have stamped; the mock then reads as "another provider". */
  const restampSnapshots = (provider: string): void => {
    rig.db().prepare('UPDATE snapshots SET provider = ?, section_methods = NULL').run(provider);
  };

  it('raises no alert of its own, and no change goes unreported', { timeout: 180_000 }, async () => {
    const expected: Expected[] = [2, 4, 5, 6, 7].flatMap((n) =>
      testEntries(2, `AO${n}`).map((e) => ({ uscc: at(n), type: 'abnormal_operations.listed', listedOn: String(e.listedOn), baseline: true })));
    worker = rig.spawnWorker();
    await checkedSince(0);
    await waitForDelivered(rig, expected.length, 30_000);
    await stop();
    restampSnapshots('tianyancha');

    // CM_PROVIDER unset on a store another provider built: refused, nothing checked.
    const refused = rig.spawnWorker({ env: { CM_PROVIDER: '', CM_PROVIDER_URL: '' } });
    expect((await refused.exited).code).toBe(2);
    expect(refused.stderr()).toMatch(/CM_PROVIDER is not set.*built by tianyancha/);

    // A deliberate switch to a provider that knows none of 4–7's listings, whose serious-violations
    // answers keep failing.
    for (const n of [4, 5, 6, 7]) for (const e of testEntries(2, `AO${n}`)) await rig.control.deleteEntry(at(n), 'abnormal-operations', e.id);
    await rig.control.addFault({ kind: '5xx', section: 'serious-violations' });
    worker = rig.spawnWorker();
    await rescanAll();

    // Changes after the switch are reported although one section never succeeds.
    await rig.control.patchCompany(at(0), { legalPerson: '李四' });
    await rig.control.patchCompany(at(1), { regCapital: '500万人民币' });
    await rig.control.deleteEntry(at(2), 'abnormal-operations', 'AO2-1');
    expected.push(
      { uscc: at(0), type: 'registration.legal_representative_changed' },
      { uscc: at(1), type: 'registration.registered_capital_changed' },
      { uscc: at(2), type: 'abnormal_operations.removed', listedOn: String(testEntries(1, 'AO2')[0]!.listedOn) },
    );
    await rescanAll();
    await rescanAll();
    await waitForDelivered(rig, expected.length, 30_000);
    await stop();

    // The real provider is back and knows 4–7's listings again: reported before, not news now.
    await rig.control.clearFaults();
    for (const n of [4, 5, 6, 7]) for (const e of testEntries(2, `AO${n}`)) await rig.control.addEntry(at(n), 'abnormal-operations', e);
    restampSnapshots('tianyancha');
    worker = rig.spawnWorker();
    await rescanAll();
    await rescanAll();
    await stop();
    await assertExactlyOnce(rig, expected);
  });
});
