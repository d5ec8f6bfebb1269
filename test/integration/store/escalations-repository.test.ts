import { beforeEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../../src/app/ports.js';
import { deliveryId } from '../../../src/store/delivery-id.js';
import type { EscalationPolicy, EscalationsRepository } from '../../../src/store/escalations-repository.js';
import { intakeFor, overdueWrite } from '../../helpers/case-fixtures.js';
import { fulfilled, openPeerStore, raceBehindLock } from '../../helpers/race-behind-lock.js';
import { sampleCheck, sampleEvent, withoutSnapshot } from '../../helpers/store-fixtures.js';
import { STORE_DIALECTS, useTestStores, type TestStore } from '../../helpers/test-stores.js';

const T0 = Date.UTC(2026, 10, 27, 8);
const HOUR = 3_600_000;
const POLICY: EscalationPolicy = { tiers: ['critical', 'high'], afterMs: HOUR, maxTimes: 2 };
const BOSS = [{ channel: 'escalation', target: 'boss@example.com' }];

describe.each(STORE_DIALECTS)('escalations repository on %s', (dialect) => {
  const stores = useTestStores(dialect);
  let t: TestStore;
  let repo: EscalationsRepository;

  /** A critical event at T0, a high one at T0 + 10 min, a medium one at T0. */
  beforeEach(async () => {
    t = await stores.open();
    repo = t.repos.escalations;
    const customerId = (await t.repos.customers.add({ uscc: '91440300708461136T', name: '甲' })).customer.id;
    await t.repos.checks.recordCheck(
      sampleCheck(customerId, [
        sampleEvent(customerId, { id: 'critical', type: 'serious_violation.listed', tier: 'critical', detectedAt: T0 }),
        sampleEvent(customerId, { id: 'high', tier: 'high', detectedAt: T0 + 10 * 60_000 }),
        sampleEvent(customerId, { id: 'medium', type: 'registration.name_changed', tier: 'medium', detectedAt: T0 }),
      ]),
    );
  });

  const due = async (now: number, policy = POLICY, limit = 10): Promise<string[]> => (await repo.eventsToEscalate(now, policy, limit)).map((e) => e.id);

  it('finds unacknowledged events of the policy tiers left alone longer than afterMs, oldest first', async () => {
    expect(await due(T0 + HOUR)).toEqual([]);
    expect(await due(T0 + HOUR + 1)).toEqual(['critical']);
    expect(await due(T0 + 2 * HOUR)).toEqual(['critical', 'high']);
    expect(await due(T0 + 2 * HOUR, POLICY, 1)).toEqual(['critical']);
    expect(await repo.eventsToEscalate(T0 + 2 * HOUR, POLICY, 10)).toEqual([
      { id: 'critical', escalationCount: 0 },
      { id: 'high', escalationCount: 0 },
    ]);
    expect(await due(T0 + 2 * HOUR, { ...POLICY, tiers: ['medium'] })).toEqual(['medium']);
    expect(await due(T0 + 2 * HOUR, { ...POLICY, tiers: [] })).toEqual([]);
    expect(await due(T0 + 2 * HOUR, { ...POLICY, maxTimes: 0 })).toEqual([]);
    await t.repos.events.acknowledge('critical', '王五', null, T0 + HOUR);
    expect(await due(T0 + 2 * HOUR)).toEqual(['high']);
  });

  it('records a round once, with a delivery per recipient; due again afterMs later, at most maxTimes', async () => {
    const at = T0 + 2 * HOUR;
    const round1 = await repo.recordEscalation('critical', 0, at, BOSS);
    expect(round1).toEqual([deliveryId('critical', 'escalation', 'boss@example.com#1')]);
    expect(await t.repos.deliveries.findDelivery(round1[0]!)).toMatchObject({
      eventId: 'critical',
      channel: 'escalation',
      target: 'boss@example.com#1',
      status: 'pending',
      attempts: 0,
      nextAttemptAt: at,
      createdAt: at,
    });
    // The count moved: a second worker with the old count records nothing.
    expect(await repo.recordEscalation('critical', 0, at, BOSS)).toEqual([]);
    expect(await t.sql('select escalation_count, last_escalated_at from events where id = ?', 'critical')).toEqual([
      { escalation_count: 1, last_escalated_at: at },
    ]);

    expect(await due(at + HOUR)).toEqual(['high']);
    expect(await repo.eventsToEscalate(at + HOUR + 1, POLICY, 10)).toEqual([
      { id: 'critical', escalationCount: 1 },
      { id: 'high', escalationCount: 0 },
    ]);
    expect(await repo.recordEscalation('critical', 1, at + HOUR + 1, BOSS)).toEqual([deliveryId('critical', 'escalation', 'boss@example.com#2')]);
    expect(await due(at + 10 * HOUR)).toEqual(['high']);
    expect(await t.sql("select target from deliveries where channel = 'escalation' order by target")).toEqual([
      { target: 'boss@example.com#1' },
      { target: 'boss@example.com#2' },
    ]);
  });

  it('records nothing for an acknowledged event', async () => {
    await t.repos.events.acknowledge('high', '王五', 'handled', T0 + HOUR);
    expect(await repo.recordEscalation('high', 0, T0 + 2 * HOUR, BOSS)).toEqual([]);
    expect(await t.sql("select id from deliveries where channel = 'escalation'")).toEqual([]);
  });

  describe('of events in a case', () => {
    let other: number;
    beforeEach(async () => {
      other = (await t.repos.customers.add({ uscc: '914403001922038216', name: '乙' })).customer.id;
    });
    /** A check of the other customer at `at` whose events all open or join its case. */
    const inCase = async (events: StoredEvent[], at: number): Promise<string> => {
      const { caseId } = await t.repos.checks.recordCheck({ ...withoutSnapshot(sampleCheck(other, events, at)), caseIntake: intakeFor(events, at) });
      return caseId!;
    };
    const FIVE_MIN = 5 * 60_000;

    it('re-sends only the case\'s lead event, while the case is open', async () => {
      const caseId = await inCase([
        sampleEvent(other, { id: 'case-lead', type: 'serious_violation.listed', tier: 'critical', detectedAt: T0 + FIVE_MIN }),
        sampleEvent(other, { id: 'case-other', tier: 'high', detectedAt: T0 + FIVE_MIN }),
      ], T0 + FIVE_MIN);
      const at = T0 + 2 * HOUR;
      expect(await due(at)).toEqual(['critical', 'case-lead', 'high']);
      expect(await repo.recordEscalation('case-other', 0, at, BOSS)).toEqual([]);
      expect(await repo.recordEscalation('case-lead', 0, at, BOSS)).toEqual([deliveryId('case-lead', 'escalation', 'boss@example.com#1')]);
      // Its case.overdue event (high, unacknowledged) goes to the escalation recipients itself: not re-sent.
      const kase = (await t.repos.cases.get(caseId))!;
      expect(await t.repos.cases.raiseOverdue(caseId, 'acknowledge', at, overdueWrite(kase, 'acknowledge', at))).toBe(true);
      expect(await due(at + 10 * HOUR)).toEqual(['critical', 'case-lead', 'high']);
      await t.repos.cases.acknowledge(caseId, '王五', null, at + HOUR, 'cli:ops');
      expect(await due(at + 10 * HOUR)).toEqual(['critical', 'high']);
    });

    it('does not re-send the lead of an acknowledged case, even a new one that joined after', async () => {
      const caseId = await inCase([sampleEvent(other, { id: 'case-high', tier: 'high', detectedAt: T0 })], T0);
      await t.repos.cases.acknowledge(caseId, '王五', null, T0 + 1, 'cli:ops');
      // A more severe event joins the acknowledged case and leads it, unacknowledged itself.
      await inCase([sampleEvent(other, { id: 'case-critical', type: 'serious_violation.listed', tier: 'critical', detectedAt: T0 + FIVE_MIN })], T0 + FIVE_MIN);
      expect(await t.repos.cases.get(caseId)).toMatchObject({ state: 'acknowledged', leadEventId: 'case-critical' });
      expect(await t.sql("select acknowledged_at from events where id = 'case-critical'")).toEqual([{ acknowledged_at: null }]);
      expect(await due(T0 + 2 * HOUR)).toEqual(['critical', 'high']);
      expect(await repo.recordEscalation('case-critical', 0, T0 + 2 * HOUR, BOSS)).toEqual([]);
    });
  });

  if (dialect === 'postgres') {
    it('two workers running the pass at once: one re-notification per due round', async () => {
      if (t.store.dialect !== 'postgres') throw new Error('expected PostgreSQL');
      const peer = await openPeerStore(t.cmDb);
      try {
        const at = T0 + 2 * HOUR;
        const results = fulfilled(
          await raceBehindLock(t.store.handle.pool, [["select id from events where id = 'critical' for update"]], [
            () => repo.recordEscalation('critical', 0, at, BOSS),
            () => peer.repos.escalations.recordEscalation('critical', 0, at + 1, BOSS),
          ]),
        );
        expect(results.map((ids) => ids.length).sort()).toEqual([0, 1]);
        expect(await t.sql('select escalation_count from events where id = ?', 'critical')).toEqual([{ escalation_count: 1 }]);
        expect(await t.sql("select count(*) as n from deliveries where channel = 'escalation'")).toEqual([{ n: 1 }]);
      } finally {
        await peer.close();
      }
    });
  }
});
