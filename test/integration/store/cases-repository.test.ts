/**
 * The cases repository on both dialects: acknowledge, assign and resolve with their events, outbox
 * rows and audit entries; overdue raised once per deadline; listing and detail; on PostgreSQL, two
 * hosts raising one deadline at once write it once.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { CasesRepository } from '../../../src/app/case-ports.js';
import type { StoredEvent } from '../../../src/app/ports.js';
import type { CaseRecord } from '../../../src/domain/cases.js';
import { caseIdFor, DAY_MS, HOOK, intakeFor, overdueWrite, resolvedWrite } from '../../helpers/case-fixtures.js';
import { fulfilled, openPeerStore, raceBehindLock } from '../../helpers/race-behind-lock.js';
import { sampleCheck, sampleEvent, withoutSnapshot } from '../../helpers/store-fixtures.js';
import { STORE_DIALECTS, useTestStores, type TestStore } from '../../helpers/test-stores.js';
import { validUscc } from '../../helpers/valid-uscc.js';

const USCC = '91440300708461136T';
const T0 = Date.UTC(2026, 10, 27, 8);

describe.each(STORE_DIALECTS)('cases repository on %s', (dialect) => {
  const stores = useTestStores(dialect);
  let t: TestStore;
  let cases: CasesRepository;
  let customerId: number;
  /** The case of the customer's listing (high) and name change (medium), opened at T0; a low event outside it. */
  let kase: CaseRecord;

  /** Opens (or joins) a case of `customer` with `events`, checked at `at`. */
  const openCase = async (customer: number, events: StoredEvent[], at: number): Promise<string> => {
    const input = { ...withoutSnapshot(sampleCheck(customer, events, at)), caseIntake: intakeFor(events, at) };
    const { caseId } = await t.repos.checks.recordCheck(input);
    if (caseId === undefined) throw new Error('no case was opened');
    return caseId;
  };

  beforeEach(async () => {
    t = await stores.open();
    cases = t.repos.cases;
    customerId = (await t.repos.customers.add({ uscc: USCC, name: '示例' })).customer.id;
    await t.repos.checks.recordCheck(withoutSnapshot(sampleCheck(customerId, [sampleEvent(customerId, { id: 'evt-low', tier: 'low', type: 'registration.address_changed' })], T0)));
    const id = await openCase(customerId, [
      sampleEvent(customerId, { id: 'evt-listed', detectedAt: T0 }),
      sampleEvent(customerId, { id: 'evt-name', type: 'registration.name_changed', tier: 'medium', detectedAt: T0 }),
    ], T0);
    kase = (await cases.get(id))!;
  });

  const json = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);
  const acks = async (): Promise<Record<string, unknown>> =>
    Object.fromEntries(
      (await t.sql<{ id: string; acknowledged_by: string | null; acknowledged_at: number | null; acknowledgement_note: string | null }>(
        'select id, acknowledged_by, acknowledged_at, acknowledgement_note from events',
      )).map((row) => [row.id, row.acknowledged_at === null ? null : [row.acknowledged_by, row.acknowledged_at, row.acknowledgement_note]]),
    );
  const auditOf = async (id: string) =>
    (await t.sql<{ at: number; actor: string; action: string; details: unknown }>('select at, actor, action, details from audit_log where subject = ? order by id', id)).map(
      (row) => ({ ...row, details: json(row.details) }),
    );
  const opened = () => `${kase.id}:case.opened`;

  it('reads a case by id, by event and as the customer\'s unresolved one; unknown ids read as none', async () => {
    expect(kase).toMatchObject({ id: caseIdFor('evt-listed'), customerId, uscc: USCC, customerName: '示例', state: 'open', tier: 'high', leadEventId: 'evt-listed' });
    expect(await cases.caseOfEvent('evt-name')).toEqual(kase);
    expect(await cases.caseOfEvent(opened())).toEqual(kase);
    expect(await cases.caseOfEvent('evt-low')).toBeUndefined();
    expect(await cases.caseOfEvent('no-such-event')).toBeUndefined();
    expect(await cases.unresolvedCaseOf(customerId)).toEqual(kase);
    expect(await cases.get('C-0000000000000000')).toBeUndefined();
    expect(await cases.detail('C-0000000000000000')).toBeUndefined();
  });

  it('acknowledges the case and every unacknowledged event of it, once; the first event acknowledgement stands', async () => {
    await t.repos.events.acknowledge('evt-name', '李四', 'seen', T0 + 10);
    const done = await cases.acknowledge(kase.id, '王五', '已致电', T0 + 20, 'cli:ops');
    expect(done).toEqual({ outcome: 'done', case: { ...kase, state: 'acknowledged', acknowledgedAt: T0 + 20, acknowledgedBy: '王五', acknowledgementNote: '已致电' } });
    expect(await acks()).toEqual({
      'evt-low': null,
      'evt-listed': ['王五', T0 + 20, '已致电'],
      'evt-name': ['李四', T0 + 10, 'seen'],
      [opened()]: ['王五', T0 + 20, '已致电'],
    });
    expect(await cases.acknowledge(kase.id, '赵六', null, T0 + 30, 'cli:ops')).toEqual({ outcome: 'unchanged', case: done.case });
    expect((await auditOf(kase.id)).slice(1)).toEqual([{ at: T0 + 20, actor: 'cli:ops', action: 'case.acknowledged', details: { by: '王五', note: '已致电' } }]);
    await expect(cases.acknowledge('C-0000000000000000', '王五', null, T0, 'cli:ops')).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'case C-0000000000000000 does not exist' });
  });

  it('assigns and re-assigns, unchanged to the same person, refused once resolved', async () => {
    expect(await cases.assign(kase.id, '李四', T0 + 1, 'cli:ops')).toEqual({ outcome: 'done', case: { ...kase, assignee: '李四' } });
    expect(await cases.assign(kase.id, '李四', T0 + 2, 'cli:ops')).toMatchObject({ outcome: 'unchanged', case: { assignee: '李四' } });
    expect(await cases.assign(kase.id, '赵六', T0 + 3, 'cli:admin')).toMatchObject({ outcome: 'done', case: { assignee: '赵六' } });
    await cases.resolve(kase.id, { by: '王五', decision: 'continue', note: '无风险', at: T0 + 4, actor: 'cli:ops' }, resolvedWrite(T0 + 4));
    expect(await cases.assign(kase.id, '李四', T0 + 5, 'cli:ops')).toMatchObject({ outcome: 'refused', reason: `case ${kase.id} is resolved`, case: { assignee: '赵六' } });
    expect((await auditOf(kase.id)).filter((e) => e.action === 'case.assigned')).toEqual([
      { at: T0 + 1, actor: 'cli:ops', action: 'case.assigned', details: { from: null, to: '李四' } },
      { at: T0 + 3, actor: 'cli:admin', action: 'case.assigned', details: { from: '李四', to: '赵六' } },
    ]);
  });

  it('resolves an open case: acknowledged by the same person then, its case.resolved event and outbox rows written; refused after', async () => {
    const at = T0 + DAY_MS;
    const seen: Array<[CaseRecord, string[]]> = [];
    const build = resolvedWrite(at);
    const done = await cases.resolve(kase.id, { by: '王五', decision: 'terminate', note: '终止合作', at, actor: 'cli:ops' }, (current, eventIds) => {
      seen.push([current, eventIds]);
      return build(current, eventIds);
    });
    const resolved = {
      ...kase,
      state: 'resolved',
      acknowledgedAt: at,
      acknowledgedBy: '王五',
      acknowledgementNote: '终止合作',
      resolvedAt: at,
      resolvedBy: '王五',
      decision: 'terminate',
      resolutionNote: '终止合作',
    };
    expect(done).toEqual({ outcome: 'done', case: resolved });
    expect(seen).toEqual([[resolved, ['evt-listed', 'evt-name']]]);
    expect(await cases.get(kase.id)).toEqual(resolved);
    const event = `${kase.id}:case.resolved`;
    const [row] = await t.sql<{ case_id: string; payload: unknown }>('select case_id, payload from events where id = ?', event);
    expect(row?.case_id).toBe(kase.id);
    expect(json(row?.payload)).toMatchObject({ case: { id: kase.id, state: 'resolved', decision: 'terminate', eventIds: ['evt-listed', 'evt-name'], note: '终止合作' } });
    expect(await t.sql('select channel, target, status from deliveries where event_id = ?', event)).toEqual([{ channel: 'webhook', target: HOOK, status: 'pending' }]);
    expect(await acks()).toEqual({
      'evt-low': null,
      'evt-listed': ['王五', at, '终止合作'],
      'evt-name': ['王五', at, '终止合作'],
      [opened()]: ['王五', at, '终止合作'],
      [event]: ['王五', at, '终止合作'],
    });
    expect((await auditOf(kase.id)).at(-1)).toEqual({ at, actor: 'cli:ops', action: 'case.resolved', details: { by: '王五', decision: 'terminate', note: '终止合作' } });
    expect(await cases.unresolvedCaseOf(customerId)).toBeUndefined();

    const events = await t.sql('select id from events');
    const refused = await cases.resolve(kase.id, { by: '赵六', decision: 'continue', note: 'again', at: at + 1, actor: 'cli:ops' }, () => {
      throw new Error('must not be called');
    });
    expect(refused).toEqual({ outcome: 'refused', case: resolved, reason: `case ${kase.id} is already resolved` });
    expect(await t.sql('select id from events')).toEqual(events);
    expect((await auditOf(kase.id)).filter((e) => e.action === 'case.resolved')).toHaveLength(1);
  });

  it('resolves an acknowledged case keeping its acknowledgement', async () => {
    await cases.acknowledge(kase.id, '李四', 'checking', T0 + 10, 'cli:ops');
    const done = await cases.resolve(kase.id, { by: '王五', decision: 'restrict', note: '限制赊销', at: T0 + 20, actor: 'cli:ops' }, resolvedWrite(T0 + 20));
    expect(done).toMatchObject({
      outcome: 'done',
      case: { state: 'resolved', acknowledgedBy: '李四', acknowledgedAt: T0 + 10, acknowledgementNote: 'checking', resolvedBy: '王五', decision: 'restrict' },
    });
    expect((await auditOf(kase.id)).map((e) => e.action)).toEqual(['case.opened', 'case.acknowledged', 'case.resolved']);
  });

  it('raises each deadline once when it has passed, and not the acknowledge deadline of an acknowledged case', async () => {
    const ackDue = kase.acknowledgeDue.dueAt;
    const resolveDue = kase.resolveDue.dueAt;
    expect(await cases.overdueToRaise(ackDue, 'acknowledge', 10)).toEqual([]);
    expect(await cases.overdueToRaise(ackDue + 1, 'acknowledge', 10)).toEqual([kase]);
    expect(await cases.overdueToRaise(ackDue + 1, 'resolve', 10)).toEqual([]);

    expect(await cases.raiseOverdue(kase.id, 'acknowledge', ackDue + 1, overdueWrite(kase, 'acknowledge', ackDue + 1))).toBe(true);
    expect(await cases.raiseOverdue(kase.id, 'acknowledge', ackDue + 2, overdueWrite(kase, 'acknowledge', ackDue + 2))).toBe(false);
    expect(await cases.overdueToRaise(ackDue + 2, 'acknowledge', 10)).toEqual([]);
    expect(await cases.get(kase.id)).toMatchObject({ overdueRaisedAt: { acknowledge: ackDue + 1, resolve: null } });
    const overdue = `${kase.id}:case.overdue:acknowledge`;
    expect(await t.sql('select case_id, tier, detected_at from events where id = ?', overdue)).toEqual([{ case_id: kase.id, tier: 'high', detected_at: ackDue + 1 }]);
    expect(await t.sql('select channel, target from deliveries where event_id = ?', overdue)).toEqual([{ channel: 'escalation', target: 'boss@example.com' }]);
    expect((await auditOf(kase.id)).at(-1)).toEqual({ at: ackDue + 1, actor: 'system', action: 'case.overdue', details: { deadline: 'acknowledge' } });

    await cases.acknowledge(kase.id, '王五', null, resolveDue, 'cli:ops');
    expect(await cases.overdueToRaise(resolveDue + 1, 'resolve', 10)).toMatchObject([{ id: kase.id, state: 'acknowledged' }]);
    expect(await cases.raiseOverdue(kase.id, 'resolve', resolveDue + 1, overdueWrite(kase, 'resolve', resolveDue + 1))).toBe(true);
    expect(await cases.raiseOverdue(kase.id, 'resolve', resolveDue + 2, overdueWrite(kase, 'resolve', resolveDue + 2))).toBe(false);
    expect(await t.sql("select count(*) as n from events where type = 'case.overdue'")).toEqual([{ n: 2 }]);
    expect(await t.sql("select count(*) as n from audit_log where action = 'case.overdue'")).toEqual([{ n: 2 }]);
  });

  it('does not raise the acknowledge deadline of a case acknowledged in time, nor any deadline of a resolved case', async () => {
    await cases.acknowledge(kase.id, '王五', null, T0 + 1, 'cli:ops');
    const late = kase.resolveDue.dueAt + 1;
    expect(await cases.overdueToRaise(late, 'acknowledge', 10)).toEqual([]);
    expect(await cases.raiseOverdue(kase.id, 'acknowledge', late, overdueWrite(kase, 'acknowledge', late))).toBe(false);
    await cases.resolve(kase.id, { by: '王五', decision: 'continue', note: 'ok', at: T0 + 2, actor: 'cli:ops' }, resolvedWrite(T0 + 2));
    expect(await cases.overdueToRaise(late, 'resolve', 10)).toEqual([]);
    expect(await cases.raiseOverdue(kase.id, 'resolve', late, overdueWrite(kase, 'resolve', late))).toBe(false);
    expect(await cases.raiseOverdue('C-0000000000000000', 'resolve', late, overdueWrite(kase, 'resolve', late))).toBe(false);
    expect(await t.sql("select count(*) as n from events where type = 'case.overdue'")).toEqual([{ n: 0 }]);
  });

  it('lists newest first, by state, by overdue at a time, by customer, in pages', async () => {
    const others: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const other = (await t.repos.customers.add({ uscc: validUscc(i), name: `客户${String(i)}` })).customer.id;
      others.push(await openCase(other, [sampleEvent(other, { id: `evt-${String(i)}`, detectedAt: T0 + i * DAY_MS })], T0 + i * DAY_MS));
    }
    const [c1, c2, c3] = others as [string, string, string];
    await cases.acknowledge(c1, '王五', null, T0 + 5 * DAY_MS, 'cli:ops');
    await cases.resolve(c2, { by: '王五', decision: 'continue', note: 'ok', at: T0 + 5 * DAY_MS, actor: 'cli:ops' }, resolvedWrite(T0 + 5 * DAY_MS));
    const ids = async (filter: Parameters<CasesRepository['list']>[0]): Promise<string[]> => (await cases.list(filter)).map((c) => c.id);

    expect(await ids({ limit: 10 })).toEqual([c3, c2, c1, kase.id]);
    expect(await ids({ limit: 10, state: 'open' })).toEqual([c3, kase.id]);
    expect(await ids({ limit: 10, state: 'acknowledged' })).toEqual([c1]);
    expect(await ids({ limit: 10, state: 'resolved' })).toEqual([c2]);
    expect(await ids({ limit: 10, uscc: validUscc(1) })).toEqual([c1]);
    // At T0 + 3.5 days kase's acknowledge deadline (3 days) has passed; c1's has not, and c1 is acknowledged anyway.
    expect(await ids({ limit: 10, overdueAt: T0 + 3.5 * DAY_MS })).toEqual([kase.id]);
    // At T0 + 11.5 days: kase's and c1's resolve deadlines passed (c1 acknowledged), c3's acknowledge deadline; c2 is resolved.
    expect(await ids({ limit: 10, overdueAt: T0 + 11.5 * DAY_MS })).toEqual([c3, c1, kase.id]);
    expect(await ids({ limit: 10, overdueAt: T0 + 11.5 * DAY_MS, state: 'acknowledged' })).toEqual([c1]);
    expect(await ids({ limit: 2 })).toEqual([c3, c2]);
    expect(await ids({ limit: 2, before: c2 })).toEqual([c1, kase.id]);
    expect(await ids({ limit: 2, before: kase.id })).toEqual([]);
    expect(await ids({ limit: 2, before: 'C-0000000000000000' })).toEqual([]);
    expect(await ids({ limit: 0 })).toEqual([]);
    expect(await cases.overdueToRaise(T0 + 11.5 * DAY_MS, 'resolve', 10)).toMatchObject([{ id: kase.id }, { id: c1 }]);
    expect(await cases.overdueToRaise(T0 + 11.5 * DAY_MS, 'resolve', 1)).toMatchObject([{ id: kase.id }]);
  });

  it('ties of one opening time are ordered and paged by id', async () => {
    const other = (await t.repos.customers.add({ uscc: validUscc(7), name: '同时' })).customer.id;
    const tied = await openCase(other, [sampleEvent(other, { id: 'evt-tied', detectedAt: T0 })], T0);
    const [first, second] = [kase.id, tied].sort().reverse() as [string, string];
    expect((await cases.list({ limit: 10 })).map((c) => c.id)).toEqual([first, second]);
    expect((await cases.list({ limit: 10, before: first })).map((c) => c.id)).toEqual([second]);
  });

  it('shows a case with its events, their deliveries and its audit entries, oldest first', async () => {
    const joined = sampleEvent(customerId, { id: 'evt-joined', type: 'serious_violation.listed', tier: 'critical', detectedAt: T0 + 1000 });
    await openCase(customerId, [joined], T0 + 1000);
    await cases.acknowledge(kase.id, '王五', 'noted', T0 + 2000, 'cli:ops');
    const detail = await cases.detail(kase.id);
    expect(detail?.case).toMatchObject({ id: kase.id, state: 'acknowledged', tier: 'critical', leadEventId: 'evt-joined' });
    expect(detail?.events).toEqual([
      { id: 'evt-listed', type: 'abnormal_operations.listed', tier: 'high', detectedAt: T0, acknowledgedAt: T0 + 2000 },
      { id: 'evt-name', type: 'registration.name_changed', tier: 'medium', detectedAt: T0, acknowledgedAt: T0 + 2000 },
      { id: opened(), type: 'case.opened', tier: 'info', detectedAt: T0, acknowledgedAt: T0 + 2000 },
      { id: 'evt-joined', type: 'serious_violation.listed', tier: 'critical', detectedAt: T0 + 1000, acknowledgedAt: T0 + 2000 },
    ]);
    const delivery = (eventId: string) => ({ eventId, channel: 'webhook', target: HOOK, status: 'pending', attempts: 0, lastError: null });
    expect(detail?.deliveries).toEqual([delivery('evt-listed'), delivery('evt-name'), delivery(opened()), delivery('evt-joined')]);
    expect(detail?.audit).toEqual([
      { at: T0, actor: 'system', action: 'case.opened', details: { eventIds: ['evt-listed', 'evt-name'] } },
      { at: T0 + 1000, actor: 'system', action: 'case.joined', details: { eventIds: ['evt-joined'] } },
      { at: T0 + 2000, actor: 'cli:ops', action: 'case.acknowledged', details: { by: '王五', note: 'noted' } },
    ]);
  });

  if (dialect === 'postgres') {
    it('two hosts raising the same overdue deadline at once: exactly one writes it', async () => {
      if (t.store.dialect !== 'postgres') throw new Error('expected PostgreSQL');
      const peer = await openPeerStore(t.cmDb);
      try {
        const at = kase.acknowledgeDue.dueAt + 1;
        const results = fulfilled(
          await raceBehindLock(t.store.handle.pool, [['select id from cases where id = $1 for update', [kase.id]]], [
            () => cases.raiseOverdue(kase.id, 'acknowledge', at, overdueWrite(kase, 'acknowledge', at)),
            () => peer.repos.cases.raiseOverdue(kase.id, 'acknowledge', at + 1, overdueWrite(kase, 'acknowledge', at + 1)),
          ]),
        );
        expect(results.sort()).toEqual([false, true]);
        expect(await t.sql("select count(*) as n from events where type = 'case.overdue'")).toEqual([{ n: 1 }]);
        expect(await t.sql("select count(*) as n from audit_log where action = 'case.overdue'")).toEqual([{ n: 1 }]);
      } finally {
        await peer.close();
      }
    });

    it('two hosts resolving one case at once: one resolves it, the other is refused', async () => {
      if (t.store.dialect !== 'postgres') throw new Error('expected PostgreSQL');
      const peer = await openPeerStore(t.cmDb);
      try {
        const results = fulfilled(
          await raceBehindLock(t.store.handle.pool, [['select id from cases where id = $1 for update', [kase.id]]], [
            () => cases.resolve(kase.id, { by: '王五', decision: 'terminate', note: 'a', at: T0 + 1, actor: 'cli:a' }, resolvedWrite(T0 + 1)),
            () => peer.repos.cases.resolve(kase.id, { by: '赵六', decision: 'continue', note: 'b', at: T0 + 2, actor: 'cli:b' }, resolvedWrite(T0 + 2)),
          ]),
        );
        expect(results.map((r) => r.outcome).sort()).toEqual(['done', 'refused']);
        expect(await t.sql("select count(*) as n from events where type = 'case.resolved'")).toEqual([{ n: 1 }]);
        expect(await t.sql("select count(*) as n from audit_log where action = 'case.resolved'")).toEqual([{ n: 1 }]);
      } finally {
        await peer.close();
      }
    });
  }
});
