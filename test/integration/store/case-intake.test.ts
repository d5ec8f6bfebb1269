/**
 * Case intake in the check's (and a grade's) transaction, on both dialects: new events at or above
 * `cases.openAt` open a case with its `case.opened` event, or join the customer's case not yet
 * resolved; a re-run opens nothing; on PostgreSQL, racing checks of one customer make one case.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { CheckStore, RecordCheckInput, RecordGradeInput, StoredEvent } from '../../../src/app/ports.js';
import { caseIdFor, DAY_MS, HOOK, intakeFor, resolvedWrite } from '../../helpers/case-fixtures.js';
import { fulfilled, openPeerStore, raceBehindLock } from '../../helpers/race-behind-lock.js';
import { sampleCheck, sampleEvent, withoutSnapshot } from '../../helpers/store-fixtures.js';
import { STORE_DIALECTS, useTestStores, type TestStore } from '../../helpers/test-stores.js';

const USCC = '91440300708461136T';
const T0 = Date.UTC(2026, 10, 27, 8);

describe.each(STORE_DIALECTS)('case intake on %s', (dialect) => {
  const stores = useTestStores(dialect);
  let t: TestStore;
  let store: CheckStore;
  let customerId: number;

  beforeEach(async () => {
    t = await stores.open();
    store = t.repos.checks;
    customerId = (await t.repos.customers.add({ uscc: USCC, name: '示例' })).customer.id;
  });

  const json = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);
  const caseIds = async (): Promise<Record<string, string | null>> =>
    Object.fromEntries((await t.sql<{ id: string; case_id: string | null }>('select id, case_id from events')).map((row) => [row.id, row.case_id]));
  const audit = () => t.sql<{ actor: string; action: string; subject: string; details: unknown }>('select actor, action, subject, details from audit_log order by id');
  /** A check of the customer's events after `basedOn` (null: the first), those at or above medium opening or joining a case. */
  const check = (events: StoredEvent[], at: number, basedOn: number | null = null): RecordCheckInput => {
    const counted = events.filter((e) => ['critical', 'high', 'medium'].includes(e.tier));
    const input = { ...withoutSnapshot(sampleCheck(customerId, events, at)), basedOnSnapshotId: basedOn };
    return counted.length === 0 ? input : { ...input, caseIntake: intakeFor(counted, at) };
  };

  it('opens a case for new events at or above openAt, with its case.opened event and deliveries', async () => {
    const listed = sampleEvent(customerId, { detectedAt: T0 });
    const recovered = sampleEvent(customerId, { id: 'evt-recovered', type: 'monitoring.recovered', tier: 'info', detectedAt: T0 });
    const input = check([listed, recovered], T0);
    const id = caseIdFor(listed.id);

    expect(await store.recordCheck(input)).toEqual({ newEventIds: ['evt-listed', 'evt-recovered'], stale: false, caseId: id, caseOpened: true });
    expect(await t.repos.cases.get(id)).toEqual({
      id,
      customerId,
      uscc: USCC,
      customerName: '示例',
      state: 'open',
      tier: 'high',
      leadEventId: 'evt-listed',
      openedAt: T0,
      assignee: null,
      acknowledgedAt: null,
      acknowledgedBy: null,
      acknowledgementNote: null,
      resolvedAt: null,
      resolvedBy: null,
      decision: null,
      resolutionNote: null,
      acknowledgeDue: { day: '2026-11-30', dueAt: T0 + 3 * DAY_MS, provisional: false },
      resolveDue: { day: '2026-12-07', dueAt: T0 + 10 * DAY_MS, provisional: true },
      overdueRaisedAt: { acknowledge: null, resolve: null },
    });
    const opened = `${id}:case.opened`;
    expect(await caseIds()).toEqual({ 'evt-listed': id, 'evt-recovered': null, [opened]: id });
    const [row] = await t.sql<{ type: string; tier: string; payload: unknown }>('select type, tier, payload from events where id = ?', opened);
    expect({ ...row, payload: json(row!.payload) }).toEqual({
      type: 'case.opened',
      tier: 'info',
      payload: { customer: { uscc: USCC, name: '示例', tags: [] }, case: { id, state: 'open', decision: null, dueAt: null, eventIds: ['evt-listed'] } },
    });
    expect(await t.sql('select event_id, channel, target, status, next_attempt_at from deliveries where event_id = ?', opened)).toEqual([
      { event_id: opened, channel: 'webhook', target: HOOK, status: 'pending', next_attempt_at: T0 },
    ]);
    expect((await audit()).map((e) => ({ ...e, details: json(e.details) }))).toEqual([
      { actor: 'system', action: 'case.opened', subject: id, details: { eventIds: ['evt-listed'] } },
    ]);
    expect((await t.repos.cases.unresolvedCaseOf(customerId))?.id).toBe(id);
    expect((await t.repos.cases.caseOfEvent('evt-listed'))?.id).toBe(id);
    expect(await t.repos.cases.caseOfEvent('evt-recovered')).toBeUndefined();
    // The events listing carries the case, and no key at all where there is none.
    const views = await t.repos.events.query();
    expect(views.find((v) => v.id === 'evt-listed')?.caseId).toBe(id);
    expect(views.find((v) => v.id === 'evt-recovered')).not.toHaveProperty('caseId');
  });

  it('a later check\'s events join the case: tier and lead move up on a more severe one, never down', async () => {
    const first = check([sampleEvent(customerId, { id: 'evt-medium', type: 'registration.name_changed', tier: 'medium', detectedAt: T0 })], T0);
    const { caseId } = await store.recordCheck(first);
    const critical = sampleEvent(customerId, { id: 'evt-critical', type: 'serious_violation.listed', tier: 'critical', detectedAt: T0 + 1000 });
    const high = sampleEvent(customerId, { id: 'evt-high', detectedAt: T0 + 1000 });
    expect(await store.recordCheck(check([high, critical], T0 + 1000))).toEqual({
      newEventIds: ['evt-high', 'evt-critical'],
      stale: false,
      caseId,
      caseOpened: false,
    });
    expect(await t.repos.cases.get(caseId!)).toMatchObject({ tier: 'critical', leadEventId: 'evt-critical', openedAt: T0 });
    const later = sampleEvent(customerId, { id: 'evt-later', detectedAt: T0 + 2000 });
    expect(await store.recordCheck(check([later], T0 + 2000))).toMatchObject({ caseId, caseOpened: false });
    expect(await t.repos.cases.get(caseId!)).toMatchObject({ tier: 'critical', leadEventId: 'evt-critical' });

    expect(await t.sql("select count(*) as n from cases")).toEqual([{ n: 1 }]);
    expect(await t.sql("select count(*) as n from events where type = 'case.opened'")).toEqual([{ n: 1 }]);
    expect(await caseIds()).toMatchObject({ 'evt-medium': caseId, 'evt-high': caseId, 'evt-critical': caseId, 'evt-later': caseId });
    expect((await audit()).map((e) => [e.action, json(e.details)])).toEqual([
      ['case.opened', { eventIds: ['evt-medium'] }],
      ['case.joined', { eventIds: ['evt-high', 'evt-critical'] }],
      ['case.joined', { eventIds: ['evt-later'] }],
    ]);
  });

  it('a re-run of the same check, or events that exist already, open and join nothing', async () => {
    const input = check([sampleEvent(customerId)], T0);
    const written = await store.recordCheck(input);
    expect(written.caseOpened).toBe(true);
    const before = await t.sql('select * from audit_log');
    // The same events again (a re-run after a crash): none is new, so there is nothing to take in.
    expect(await store.recordCheck(input)).toEqual({ newEventIds: [], stale: false });
    expect(await t.sql('select count(*) as n from cases')).toEqual([{ n: 1 }]);
    expect(await t.sql('select count(*) as n from events')).toEqual([{ n: 2 }]);
    expect(await t.sql('select * from audit_log')).toEqual(before);
  });

  it('counts only the intake\'s events the check inserted, and leads with the most severe of those', async () => {
    await store.recordCheck({ ...withoutSnapshot(sampleCheck(customerId, [sampleEvent(customerId, { id: 'evt-old', tier: 'critical' })])) });
    const fresh = sampleEvent(customerId, { id: 'evt-new', tier: 'medium', type: 'registration.name_changed' });
    // The intake names evt-old as its lead, but it existed before this check: the case is led by evt-new.
    const input = check([sampleEvent(customerId, { id: 'evt-old', tier: 'critical' }), fresh], T0);
    const { caseId } = await store.recordCheck(input);
    expect(caseId).toBe(caseIdFor('evt-old'));
    expect(await t.repos.cases.get(caseId!)).toMatchObject({ tier: 'medium', leadEventId: 'evt-new' });
    expect(await caseIds()).toMatchObject({ 'evt-old': null, 'evt-new': caseId });
  });

  it('does not join a resolved case: the next events open a new one', async () => {
    const { caseId: first } = await store.recordCheck(check([sampleEvent(customerId)], T0));
    await t.repos.cases.resolve(first!, { by: '王五', decision: 'continue', note: '已核实', at: T0 + 1000, actor: 'cli:ops' }, resolvedWrite(T0 + 1000));
    const next = sampleEvent(customerId, { id: 'evt-next', detectedAt: T0 + 2000 });
    const written = await store.recordCheck(check([next], T0 + 2000));
    expect(written).toMatchObject({ caseId: caseIdFor('evt-next'), caseOpened: true });
    expect(written.caseId).not.toBe(first);
    expect(await t.sql('select id, state from cases order by opened_at')).toEqual([
      { id: first, state: 'resolved' },
      { id: caseIdFor('evt-next'), state: 'open' },
    ]);
    expect((await t.repos.cases.unresolvedCaseOf(customerId))?.id).toBe(caseIdFor('evt-next'));
  });

  it('takes in a batch\'s checks of one customer in order: the first opens, the second joins', async () => {
    const a = check([sampleEvent(customerId, { id: 'evt-a', tier: 'medium', type: 'registration.name_changed' })], T0);
    const b = check([sampleEvent(customerId, { id: 'evt-b', tier: 'high' })], T0);
    // Recorded in the same turn of the event loop: one group commit on both dialects.
    const [first, second] = await Promise.all([store.recordCheck(a), store.recordCheck(b)]);
    expect(first).toMatchObject({ caseId: caseIdFor('evt-a'), caseOpened: true });
    expect(second).toMatchObject({ caseId: caseIdFor('evt-a'), caseOpened: false });
    expect(await t.repos.cases.get(caseIdFor('evt-a'))).toMatchObject({ tier: 'high', leadEventId: 'evt-b' });
  });

  it('rolls the case back with the rest of a check that fails', async () => {
    const input = check([sampleEvent(customerId)], T0);
    input.deliveries.push({ eventId: 'no-such-event', channel: 'webhook', target: HOOK });
    await expect(store.recordCheck(input)).rejects.toMatchObject({ code: 'STORE_FAILED' });
    expect(await t.sql('select count(*) as n from cases')).toEqual([{ n: 0 }]);
    expect(await t.sql('select count(*) as n from audit_log')).toEqual([{ n: 0 }]);
  });

  it('a grade change without a check opens or joins the case the same way', async () => {
    await store.recordCheck(sampleCheck(customerId, []));
    const snapshot = await store.latestSnapshot(customerId);
    const event: StoredEvent = {
      id: 'evt-grade',
      customerId,
      type: 'grade.changed',
      tier: 'high',
      baseline: false,
      detectedAt: T0 + 5000,
      source: 'erp',
      change: { field: 'grade', before: 'unrated', after: 'risk' },
    };
    const input: RecordGradeInput = {
      customerId,
      basedOnSnapshotId: snapshot!.id,
      gradedAt: T0 + 5000,
      grade: { grade: 'risk', previous: 'unrated', rule: 'abnormal-operations-in-force', figures: null },
      events: [event],
      deliveries: [],
      caseIntake: intakeFor([event], T0 + 5000),
    };
    expect(await store.recordGrade(input)).toEqual({ newEventIds: ['evt-grade'], stale: false, caseId: caseIdFor('evt-grade'), caseOpened: true });
    expect(await caseIds()).toEqual({ 'evt-grade': caseIdFor('evt-grade'), [`${caseIdFor('evt-grade')}:case.opened`]: caseIdFor('evt-grade') });
    const joining = sampleEvent(customerId, { id: 'evt-after', detectedAt: T0 + 6000 });
    expect(await store.recordCheck(check([joining], T0 + 6000, snapshot!.id))).toMatchObject({ caseId: caseIdFor('evt-grade'), caseOpened: false });
  });

  if (dialect === 'postgres') {
    it('two workers\' checks opening a case for one customer at once make one case, the other joins it', async () => {
      if (t.store.dialect !== 'postgres') throw new Error('expected PostgreSQL');
      const peer = await openPeerStore(t.cmDb);
      try {
        // No snapshot written: both checks are current, so both commit and neither is stale.
        const mine = check([sampleEvent(customerId, { id: 'evt-mine' })], T0);
        const theirs = check([sampleEvent(customerId, { id: 'evt-theirs' })], T0);
        const results = fulfilled(
          await raceBehindLock(t.store.handle.pool, [['select id from customers where id = $1 for update', [customerId]]], [
            () => store.recordCheck(mine),
            () => peer.repos.checks.recordCheck(theirs),
          ]),
        );
        expect(results.map((r) => r.caseOpened).sort()).toEqual([false, true]);
        const opened = results.find((r) => r.caseOpened === true)!.caseId;
        expect(results.map((r) => r.caseId)).toEqual([opened, opened]);
        expect(await t.sql('select id from cases')).toEqual([{ id: opened }]);
        expect(await t.sql("select id from events where case_id = ? and type <> 'case.opened' order by id", opened)).toEqual([{ id: 'evt-mine' }, { id: 'evt-theirs' }]);
      } finally {
        await peer.close();
      }
    });

    it('a check waiting on a case that is resolved meanwhile opens a new one instead of joining it', async () => {
      if (t.store.dialect !== 'postgres') throw new Error('expected PostgreSQL');
      const { caseId: first } = await store.recordCheck(check([sampleEvent(customerId)], T0));
      const next = check([sampleEvent(customerId, { id: 'evt-next', detectedAt: T0 + 2000 })], T0 + 2000);
      const [result] = fulfilled(
        await raceBehindLock(
          t.store.handle.pool,
          [
            ['select id from cases where id = $1 for update', [first]],
            ["update cases set state = 'resolved', decision = 'continue', resolved_at = $2, resolved_by = 'x' where id = $1", [first, T0 + 1000]],
          ],
          [() => store.recordCheck(next)],
        ),
      );
      expect(result).toMatchObject({ caseId: caseIdFor('evt-next'), caseOpened: true });
      expect(await t.sql('select id, state from cases order by opened_at')).toEqual([
        { id: first, state: 'resolved' },
        { id: caseIdFor('evt-next'), state: 'open' },
      ]);
    });
  }
});
