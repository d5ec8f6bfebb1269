/**
 * checkCustomer end to end below the CLI: a real SQLite file, the real mock provider over HTTP on
 * 127.0.0.1, the MockProvider adapter, wired by main.ts exactly as the CLI and the worker wire it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMockProviderServer, type MockProviderServer } from '../../../src/providers/mock/server.js';
import { openCheckHarness, type CheckHarness } from '../../helpers/check-harness.js';
import { mockProviderControl, type FaultRequest, type MockProviderControl } from '../../helpers/mock-provider-control.js';
import { testCompany, testEntries, testState } from '../../helpers/mock-provider-fixtures.js';
import { validUscc } from '../../helpers/valid-uscc.js';

const LISTED = validUscc(101); // revoked, on both lists at baseline
const PLAIN = validUscc(102); // active, one abnormal-operations entry

const [AO_ACTIVE, AO_REMOVED] = testEntries(2, 'AO');
const [SV_ACTIVE] = testEntries(1, 'SV');

let server: MockProviderServer;
let control: MockProviderControl;
let harness: CheckHarness | undefined;

beforeAll(async () => {
  server = await startMockProviderServer({
    state: testState(
      testCompany(101, {
        status: '吊销，未注销',
        abnormalOperations: [AO_ACTIVE!, { ...AO_REMOVED!, removedOn: '2024-06-01', removalReason: '已补报' }],
        seriousViolations: [{ ...SV_ACTIVE!, reason: '被列入经营异常名录届满3年仍未履行相关义务的' }],
      }),
      testCompany(102, { abnormalOperations: [AO_ACTIVE!] }),
    ),
  });
  control = mockProviderControl(server);
});

afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await control.reset();
});

afterAll(async () => {
  await server.close();
});

async function open(env: Record<string, string> = {}, ...usccs: string[]): Promise<CheckHarness> {
  harness = await openCheckHarness(server.url, env);
  for (const uscc of usccs) await harness.store.repos.customers.add({ uscc, name: `客户${uscc.slice(-4)}` });
  return harness;
}

function summary(events: Array<{ type: string; tier: string; baseline: boolean }>): string[] {
  return events.map((e) => `${e.type}/${e.tier}/${String(e.baseline)}`).sort();
}

describe('baseline', () => {
  it('surfaces a revoked company already on both lists, marked baseline, with default tiers', async () => {
    const h = await open({}, LISTED);
    const outcome = await h.check(LISTED);

    expect(outcome.failedSections).toEqual([]);
    expect(outcome.snapshotWritten).toBe(true);
    // Risk from its first check (terminal status): the first grade is told, baseline like the rest.
    expect(summary(outcome.events)).toEqual([
      'abnormal_operations.listed/high/true',
      'grade.changed/high/true',
      'registration.status_changed/critical/true',
      'serious_violation.listed/critical/true',
    ]);
    expect(outcome.events.find((e) => e.type === 'grade.changed')).toMatchObject({
      change: { field: 'grade', before: 'unrated', after: 'risk' },
      grade: { grade: 'risk', rule: 'terminal-status' },
      strategy: { settlement: 'prepayment', newOrders: 'blocked' },
    });
    expect(outcome.grade).toEqual({ before: 'unrated', after: 'risk', rule: 'terminal-status', decided: true });
    // The already-removed abnormal entry is history, not a listing; no field-change events at baseline.
    const listed = outcome.events.find((e) => e.type === 'abnormal_operations.listed');
    expect(listed?.entry).toMatchObject({ listedOn: AO_ACTIVE!.listedOn, reason: AO_ACTIVE!.reason, removedOn: null });
    const status = outcome.events.find((e) => e.type === 'registration.status_changed');
    expect(status?.statusAfter).toBe('revoked');
    // And the case they open (cases.openAt medium), in the same transaction.
    expect(h.eventRows().map((r) => r.type).sort()).toEqual([...outcome.events.map((e) => e.type), 'case.opened'].sort());
  });

  it('run twice, the same check stores nothing new and no second snapshot', async () => {
    const h = await open({}, LISTED);
    await h.check(LISTED);
    const before = h.eventRows();

    const again = await h.check(LISTED);
    expect(again.events).toEqual([]);
    expect(again.snapshotWritten).toBe(false);
    expect(h.snapshotCount()).toBe(1);
    expect(h.eventRows()).toEqual(before);
  });
});

describe('changes at the provider', () => {
  it('legal person change, new abnormal entry and a removal date give exactly the expected events, once', async () => {
    const h = await open({}, PLAIN);
    const baseline = await h.check(PLAIN);
    expect(summary(baseline.events)).toEqual(['abnormal_operations.listed/high/true', 'grade.changed/high/true']);

    await control.patchCompany(PLAIN, { legalPerson: '李四' });
    await control.addEntry(PLAIN, 'abnormal-operations', {
      id: 'AO-NEW',
      listedOn: '2026-11-20',
      reason: '未依照《企业信息公示暂行条例》第八条规定的期限公示年度报告的',
      authority: '深圳市市场监督管理局',
    });
    await control.patchEntry(PLAIN, 'abnormal-operations', AO_ACTIVE!.id, { removedOn: '2026-11-25', removalReason: '已补报年度报告' });

    const changed = await h.check(PLAIN);
    expect(changed.failedSections).toEqual([]);
    expect(summary(changed.events)).toEqual([
      'abnormal_operations.listed/high/false',
      'abnormal_operations.removed/info/false',
      'registration.legal_representative_changed/medium/false',
    ]);
    const byType = new Map(changed.events.map((e) => [e.type, e]));
    expect(byType.get('registration.legal_representative_changed')?.change).toMatchObject({ before: '张三', after: '李四' });
    expect(byType.get('abnormal_operations.listed')?.entry).toMatchObject({ listedOn: '2026-11-20' });
    expect(byType.get('abnormal_operations.removed')).toMatchObject({
      evidence: 'removal_date',
      entry: { listedOn: AO_ACTIVE!.listedOn, removedOn: '2026-11-25' },
    });
    expect(h.snapshotCount()).toBe(2);

    const third = await h.check(PLAIN);
    expect(third.events).toEqual([]);
    // Five events, and the one case the first listing opened (the others joined it).
    expect(h.eventRows().filter((r) => r.type !== 'case.opened')).toHaveLength(5);
    expect(h.eventRows().filter((r) => r.type === 'case.opened')).toHaveLength(1);
  });

  it('an entry missing from one read is not removed; missing from two reads it is, with evidence "missing"', async () => {
    const h = await open({}, PLAIN);
    await h.check(PLAIN);
    await control.deleteEntry(PLAIN, 'abnormal-operations', AO_ACTIVE!.id);

    const first = await h.check(PLAIN);
    expect(first.events).toEqual([]);

    const second = await h.check(PLAIN);
    // Off the list, the grade rises from risk, to fair while the removal is recent (12 months).
    expect(summary(second.events)).toEqual(['abnormal_operations.removed/info/false', 'grade.changed/low/false']);
    expect(second.events[0]).toMatchObject({ evidence: 'missing', entry: { listedOn: AO_ACTIVE!.listedOn } });
    expect(second.grade).toEqual({ before: 'risk', after: 'fair', rule: 'abnormal-operations-removed-recently', decided: true });

    expect((await h.check(PLAIN)).events).toEqual([]);
  });

  it('an entry that vanishes once and comes back is neither removed nor listed again', async () => {
    const h = await open({}, PLAIN);
    await h.check(PLAIN);
    await control.deleteEntry(PLAIN, 'abnormal-operations', AO_ACTIVE!.id);
    expect((await h.check(PLAIN)).events).toEqual([]);
    await control.addEntry(PLAIN, 'abnormal-operations', AO_ACTIVE!);
    expect((await h.check(PLAIN)).events).toEqual([]);
    await control.deleteEntry(PLAIN, 'abnormal-operations', AO_ACTIVE!.id);
    expect((await h.check(PLAIN)).events).toEqual([]);
  });
});

describe('a failed section', () => {
  const NEW_ENTRY = { id: 'AO-LATE', listedOn: '2026-11-21', reason: '通过登记的住所或者经营场所无法联系的', authority: '深圳市市场监督管理局' };

  it.each<[string, FaultRequest]>([
    ['5xx', { kind: '5xx', section: 'abnormal-operations' }],
    ['malformed', { kind: 'malformed', section: 'abnormal-operations' }],
    ['truncated', { kind: 'truncated', section: 'abnormal-operations' }],
    ['timeout', { kind: 'timeout', section: 'abnormal-operations' }],
  ])('%s: no events from it, last value carried forward, failures counted, caught up after', async (_name, fault) => {
    const h = await open({}, PLAIN);
    await h.check(PLAIN);
    const baselineSnapshot = await h.store.repos.checks.latestSnapshot(1);

    await control.addEntry(PLAIN, 'abnormal-operations', NEW_ENTRY);
    await control.deleteEntry(PLAIN, 'abnormal-operations', AO_ACTIVE!.id);
    await control.addFault({ ...fault, uscc: PLAIN });

    for (const streak of [1, 2]) {
      const failed = await h.check(PLAIN);
      expect(failed.failedSections.map((f) => f.section)).toEqual(['abnormalOperations']);
      expect(failed.events).toEqual([]);
      expect(h.customerRow(PLAIN).consecutive_failures).toBe(streak);
      expect(h.customerRow(PLAIN).last_error).toMatch(/abnormalOperations/);
    }
    // The list carried forward unchanged: the vanished entry has not even started its missing count.
    const carried = await h.store.repos.checks.latestSnapshot(1);
    expect(carried?.body.abnormalOperations).toEqual(baselineSnapshot?.body.abnormalOperations);

    await control.clearFaults();
    const healed = await h.check(PLAIN);
    expect(healed.failedSections).toEqual([]);
    expect(summary(healed.events)).toEqual(['abnormal_operations.listed/high/false']);
    expect(h.customerRow(PLAIN).consecutive_failures).toBe(0);
  });

  it('foreign registration body: no field-change events, registration carried forward', async () => {
    const h = await open({}, PLAIN);
    await h.check(PLAIN);
    await control.patchCompany(PLAIN, { legalPerson: '王五', status: '注销' });
    await control.addFault({ kind: 'foreign', uscc: PLAIN, section: 'registration' });

    const failed = await h.check(PLAIN);
    expect(failed.failedSections.map((f) => [f.section, f.error.kind])).toEqual([['registration', 'invalid_response']]);
    expect(failed.events).toEqual([]);
    const snapshot = await h.store.repos.checks.latestSnapshot(1);
    expect(snapshot?.body.registration).toMatchObject({ legalRepresentative: '张三', status: 'active' });
    expect(h.customerRow(PLAIN).consecutive_failures).toBe(1);
  });

  it('a section that succeeds still reports its changes while another fails', async () => {
    const h = await open({}, PLAIN);
    await h.check(PLAIN);
    await control.patchCompany(PLAIN, { legalPerson: '李四' });
    await control.addFault({ kind: '5xx', uscc: PLAIN, section: 'serious-violations' });

    const outcome = await h.check(PLAIN);
    expect(outcome.failedSections.map((f) => f.section)).toEqual(['seriousViolations']);
    expect(summary(outcome.events)).toEqual(['registration.legal_representative_changed/medium/false']);
  });
});

describe('monitoring health', () => {
  it('CM_DEGRADED_AFTER=2: degraded once after two failing checks, recovered once when healed', async () => {
    const h = await open({ CM_DEGRADED_AFTER: '2' }, PLAIN);
    await h.check(PLAIN);
    await control.addFault({ kind: '5xx', uscc: PLAIN, section: 'serious-violations' });

    expect((await h.check(PLAIN)).events).toEqual([]);
    expect(summary((await h.check(PLAIN)).events)).toEqual(['monitoring.degraded/medium/false']);
    expect((await h.check(PLAIN)).events).toEqual([]);
    expect(h.customerRow(PLAIN)).toMatchObject({ consecutive_failures: 3, degraded: 1 });

    await control.clearFaults();
    expect(summary((await h.check(PLAIN)).events)).toEqual(['monitoring.recovered/info/false']);
    expect((await h.check(PLAIN)).events).toEqual([]);
    expect(h.customerRow(PLAIN)).toMatchObject({ consecutive_failures: 0, degraded: 0 });
    expect(h.eventRows().filter((e) => e.type.startsWith('monitoring.')).map((e) => e.type)).toEqual([
      'monitoring.degraded',
      'monitoring.recovered',
    ]);
  });
});

describe('deliveries (the outbox) are written with the events', () => {
  it('with CM_WEBHOOK_URL set, every event has one pending webhook delivery', async () => {
    const h = await open({ CM_WEBHOOK_URL: 'http://127.0.0.1:9/hook', CM_WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }, LISTED);
    const outcome = await h.check(LISTED);
    expect(outcome.events).toHaveLength(4);
    const deliveries = h.deliveryRows();
    const webhook = deliveries.filter((d) => d.channel === 'webhook');
    expect(webhook.map((d) => d.event_id).sort()).toEqual([...outcome.events.map((e) => e.id), ...caseOpened(h)].sort());
    expect(webhook.every((d) => d.status === 'pending')).toBe(true);
    expect(deliveries.some((d) => d.channel === 'log')).toBe(false);
  });

  it('with no channel configured, every event has a log delivery', async () => {
    const h = await open({}, LISTED);
    const outcome = await h.check(LISTED);
    const deliveries = h.deliveryRows();
    expect(deliveries.map((d) => d.channel)).toEqual([...outcome.events, ...caseOpened(h)].map(() => 'log'));
    expect(deliveries.map((d) => d.event_id).sort()).toEqual([...outcome.events.map((e) => e.id), ...caseOpened(h)].sort());
  });

  it('a check whose transaction fails leaves neither events nor deliveries nor a snapshot', async () => {
    const h = await open({ CM_WEBHOOK_URL: 'http://127.0.0.1:9/hook', CM_WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }, LISTED);
    // Make the outbox insert fail inside recordCheck's transaction.
    h.store.handle.sqlite.exec(
      `CREATE TRIGGER fail_outbox BEFORE INSERT ON deliveries BEGIN SELECT RAISE(ABORT, 'outbox down'); END`,
    );
    await expect(h.check(LISTED)).rejects.toThrow();
    expect(h.eventRows()).toEqual([]);
    expect(h.snapshotCount()).toBe(0);

    h.store.handle.sqlite.exec('DROP TRIGGER fail_outbox');
    const outcome = await h.check(LISTED);
    expect(outcome.events).toHaveLength(4);
    // One each, and one for the case.opened of the case they opened.
    expect(h.deliveryRows()).toHaveLength(5);
  });
});

/** The id of the check's case.opened event (cases.openAt medium: a listing opens a case). */
function caseOpened(h: CheckHarness): string[] {
  return h.eventRows().filter((r) => r.type === 'case.opened').map((r) => r.id);
}
