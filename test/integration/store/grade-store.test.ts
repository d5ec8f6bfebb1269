/**
 * The grade in the check store, on both dialects: written with the check (or alone, after a figures
 * import) in one transaction with its history row, its event and its outbox rows, and refused as
 * stale whenever what it was decided from has moved on.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { CheckStore, GradeWrite, RecordGradeInput, StoredEvent } from '../../../src/app/ports.js';
import type { TradingFigures } from '../../../src/domain/trading-figures.js';
import { fulfilled, openPeerStore, raceBehindLock } from '../../helpers/race-behind-lock.js';
import { sampleCheck, sampleEvent, withoutSnapshot } from '../../helpers/store-fixtures.js';
import { STORE_DIALECTS, useTestStores, type TestStore } from '../../helpers/test-stores.js';

const USCC = '91440300708461136T';
const T = Date.UTC(2026, 10, 27, 8);
const FIGURES: TradingFigures = { asOf: '2026-10-31', onTimePaymentRate: 99, fulfilmentRate: 100, overdueAmount: null, creditLimit: 100_000 };

const toRisk: GradeWrite = { grade: 'risk', previous: 'unrated', rule: 'abnormal-operations-in-force', figures: null };

describe.each(STORE_DIALECTS)('grades in the check store on %s', (dialect) => {
  const stores = useTestStores(dialect);
  let t: TestStore;
  let store: CheckStore;
  let customerId: number;

  beforeEach(async () => {
    t = await stores.open();
    store = t.repos.checks;
    customerId = (await t.repos.customers.add({ uscc: USCC, name: '示例' })).customer.id;
  });

  const history = () => t.sql<{ grade: string; previous_grade: string; rule: string | null; at: number }>(
    'select grade, previous_grade, rule, at from grade_history where customer_id = ? order by id',
    customerId,
  );
  const gradeEvent = (id: string, before: string, after: string): StoredEvent => {
    const event: StoredEvent = {
      ...sampleEvent(customerId),
      id,
      type: 'grade.changed',
      tier: after === 'risk' ? 'high' : 'low',
      change: { field: 'grade', before, after },
      grade: { grade: 'risk', rule: 'abnormal-operations-in-force' },
      strategy: { paymentTermDays: 0, settlement: 'prepayment', depositPercent: 100, newOrders: 'blocked' },
    };
    delete event.entry;
    return event;
  };
  const figuresOf = async (f: TradingFigures): Promise<void> => {
    await t.repos.figures.upsertMany([{ uscc: USCC, figures: f }], T);
  };
  const json = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

  it('writes the grade, its rule, when, and a history row in the check\'s own transaction', async () => {
    const event = gradeEvent('evt-grade', 'unrated', 'risk');
    const input = { ...sampleCheck(customerId, [sampleEvent(customerId), event]), grade: toRisk };
    expect(await store.recordCheck(input)).toEqual({ newEventIds: ['evt-listed', 'evt-grade'], stale: false });
    expect(await store.findCustomer(USCC)).toMatchObject({ grade: 'risk', gradeRule: 'abnormal-operations-in-force', gradedAt: input.checkedAt });
    expect(await history()).toEqual([{ grade: 'risk', previous_grade: 'unrated', rule: 'abnormal-operations-in-force', at: input.checkedAt }]);
    const [row] = await t.sql<{ payload: unknown }>("select payload from events where id = 'evt-grade'");
    expect(json(row!.payload)).toEqual({
      customer: { uscc: USCC, name: '示例', tags: [] },
      change: { field: 'grade', before: 'unrated', after: 'risk' },
      grade: { grade: 'risk', rule: 'abnormal-operations-in-force' },
      strategy: { paymentTermDays: 0, settlement: 'prepayment', depositPercent: 100, newOrders: 'blocked' },
    });

    // Decided the same again: nothing of the grade changes, not even when.
    const snapshot = await store.latestSnapshot(customerId);
    const same = { ...withoutSnapshot(sampleCheck(customerId, [], T + 60_000)), basedOnSnapshotId: snapshot!.id, grade: { ...toRisk, previous: 'risk' as const } };
    expect(await store.recordCheck(same)).toEqual({ newEventIds: [], stale: false });
    expect(await store.findCustomer(USCC)).toMatchObject({ grade: 'risk', gradedAt: input.checkedAt });
    // Another rule, the same grade: the rule and its time change, the history does not.
    const rule = { ...same, grade: { ...same.grade, rule: 'serious-violation-in-force' } };
    expect(await store.recordCheck(rule)).toEqual({ newEventIds: [], stale: false });
    expect(await store.findCustomer(USCC)).toMatchObject({ grade: 'risk', gradeRule: 'serious-violation-in-force', gradedAt: T + 60_000 });
    expect(await history()).toHaveLength(1);
  });

  it('rolls the grade back with the rest of a failed check', async () => {
    const input = { ...sampleCheck(customerId, [sampleEvent(customerId)]), grade: toRisk };
    input.deliveries.push({ eventId: 'no-such-event', channel: 'webhook', target: 'https://example.test/hook' });
    await expect(store.recordCheck(input)).rejects.toMatchObject({ code: 'STORE_FAILED' });
    expect(await store.findCustomer(USCC)).toMatchObject({ grade: 'unrated', gradeRule: null, gradedAt: null });
    expect(await history()).toEqual([]);
  });

  it('refuses as stale, writing nothing, a grade decided from a grade or figures that moved on', async () => {
    // Decided as if the customer were fair: it is unrated.
    const wrongGrade = { ...sampleCheck(customerId, [sampleEvent(customerId)]), grade: { ...toRisk, previous: 'fair' as const } };
    expect(await store.recordCheck(wrongGrade)).toEqual({ newEventIds: [], stale: true });
    // Decided without figures: an import has stored some since.
    await figuresOf(FIGURES);
    expect(await store.recordCheck({ ...sampleCheck(customerId, [sampleEvent(customerId)]), grade: toRisk })).toEqual({ newEventIds: [], stale: true });
    // Decided with figures the import has replaced.
    await figuresOf({ ...FIGURES, fulfilmentRate: 90 });
    expect(await store.recordCheck({ ...sampleCheck(customerId, []), grade: { ...toRisk, figures: FIGURES } })).toEqual({ newEventIds: [], stale: true });
    expect(await Promise.all(['snapshots', 'events', 'deliveries', 'grade_history'].map(async (table) => (await t.sql(`select * from ${table}`)).length))).toEqual([0, 0, 0, 0]);
    expect(await store.findCustomer(USCC)).toMatchObject({ grade: 'unrated', lastCheckedAt: null });
    // With the figures as they stand, it is taken.
    const current = { ...sampleCheck(customerId, []), grade: { ...toRisk, figures: { ...FIGURES, fulfilmentRate: 90 } } };
    expect((await store.recordCheck(current)).stale).toBe(false);
  });

  it('records a grade without a check: grade, history, event and outbox together, stale once the snapshot moved', async () => {
    await store.recordCheck(sampleCheck(customerId, []));
    const snapshot = await store.latestSnapshot(customerId);
    await figuresOf(FIGURES);
    const event = gradeEvent('evt-regrade', 'unrated', 'risk');
    const input: RecordGradeInput = {
      customerId,
      basedOnSnapshotId: snapshot!.id,
      gradedAt: T + 5000,
      grade: { ...toRisk, figures: FIGURES },
      events: [{ ...event, source: 'erp' }],
      deliveries: [{ eventId: 'evt-regrade', channel: 'webhook', target: 'default' }],
    };
    // Based on a snapshot that is not the latest, on a grade it no longer has, on other figures: stale.
    expect(await store.recordGrade({ ...input, basedOnSnapshotId: snapshot!.id + 1 })).toEqual({ newEventIds: [], stale: true });
    expect(await store.recordGrade({ ...input, grade: { ...input.grade, previous: 'good' } })).toEqual({ newEventIds: [], stale: true });
    expect(await store.recordGrade({ ...input, grade: { ...input.grade, figures: null } })).toEqual({ newEventIds: [], stale: true });
    expect(await t.sql('select id from events')).toEqual([]);

    expect(await store.recordGrade(input)).toEqual({ newEventIds: ['evt-regrade'], stale: false });
    expect(await store.findCustomer(USCC)).toMatchObject({ grade: 'risk', gradedAt: T + 5000, lastCheckedAt: T });
    expect(await history()).toEqual([{ grade: 'risk', previous_grade: 'unrated', rule: 'abnormal-operations-in-force', at: T + 5000 }]);
    expect(await t.sql("select snapshot_id, source from events where id = 'evt-regrade'")).toEqual([{ snapshot_id: snapshot!.id, source: 'erp' }]);
    expect(await t.sql('select event_id, channel, target, status from deliveries')).toEqual([
      { event_id: 'evt-regrade', channel: 'webhook', target: 'default', status: 'pending' },
    ]);
    // The grade is now risk: the same write again is stale.
    expect(await store.recordGrade(input)).toEqual({ newEventIds: [], stale: true });
  });

  it('keeps the history of every change, and reads the entry events grading remembers', async () => {
    const listed = sampleEvent(customerId, { detectedAt: Date.UTC(2026, 10, 27, 17) });
    await store.recordCheck({ ...sampleCheck(customerId, [listed]), grade: toRisk });
    let snapshot = await store.latestSnapshot(customerId);
    const removed = sampleEvent(customerId, { id: 'evt-removed', type: 'abnormal_operations.removed', tier: 'info', evidence: 'missing' });
    const next = (hash: string, checkedAt: number) => ({
      ...sampleCheck(customerId, [], checkedAt),
      snapshot: { ...sampleCheck(customerId, []).snapshot!, hash },
      basedOnSnapshotId: snapshot!.id,
    });
    await store.recordCheck({ ...next('hash-2', T + 1000), events: [removed], grade: { grade: 'fair', previous: 'risk', rule: 'abnormal-operations-removed-recently', figures: null } });
    snapshot = await store.latestSnapshot(customerId);
    await store.recordCheck({ ...next('hash-3', T + 2000), grade: { grade: 'good', previous: 'fair', rule: 'good', figures: null } });
    expect((await history()).map((h) => [h.previous_grade, h.grade, h.at])).toEqual([
      ['unrated', 'risk', T],
      ['risk', 'fair', T + 1000],
      ['fair', 'good', T + 2000],
    ]);
    // Detected at 17:00 UTC is the next day in Asia/Shanghai.
    expect(await store.entryEvents(customerId)).toEqual([
      { type: 'abnormal_operations.listed', entry: listed.entry, detectedOn: '2026-11-28' },
      { type: 'abnormal_operations.removed', entry: removed.entry, detectedOn: '2026-11-27' },
    ]);
    expect(await store.entryEvents(customerId + 100)).toEqual([]);
  });

  it('judges checks of one customer in one batch in order: each against the grade the one before left', async () => {
    const check = (at: number, grade: GradeWrite) => ({ ...withoutSnapshot(sampleCheck(customerId, [], at)), grade });
    // Finished in the same turn, so they share one transaction.
    const results = await Promise.all([
      store.recordCheck(check(T, toRisk)),
      store.recordCheck(check(T + 1, toRisk)),
      store.recordCheck(check(T + 2, { grade: 'fair', previous: 'risk', rule: 'no-figures', figures: null })),
    ]);
    expect(results.map((r) => r.stale)).toEqual([false, true, false]);
    expect((await history()).map((h) => [h.previous_grade, h.grade, h.at])).toEqual([['unrated', 'risk', T], ['risk', 'fair', T + 2]]);
  });

  if (dialect === 'postgres') {
    it('a check and a figures re-grade of one customer decided from the same state: exactly one commits', async () => {
      if (t.store.dialect !== 'postgres') throw new Error('expected PostgreSQL');
      await store.recordCheck(sampleCheck(customerId, []));
      const snapshot = await store.latestSnapshot(customerId);
      const peer = await openPeerStore(t.cmDb);
      try {
        const check = { ...withoutSnapshot(sampleCheck(customerId, [gradeEvent('evt-check', 'unrated', 'risk')], T + 10)), basedOnSnapshotId: snapshot!.id, grade: toRisk };
        const regrade: RecordGradeInput = {
          customerId,
          basedOnSnapshotId: snapshot!.id,
          gradedAt: T + 10,
          grade: { ...toRisk, grade: 'fair', rule: 'no-figures' },
          events: [],
          deliveries: [],
        };
        const results = fulfilled(
          await raceBehindLock(t.store.handle.pool, [['select id from customers where id = $1 for update', [customerId]]], [
            () => store.recordCheck(check),
            () => peer.repos.checks.recordGrade(regrade),
          ]),
        );
        expect(results.map((r) => r.stale).sort()).toEqual([false, true]);
        expect(await history()).toHaveLength(1);
      } finally {
        await peer.close();
      }
    });
  }
});
