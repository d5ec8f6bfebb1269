import { beforeEach, describe, expect, it } from 'vitest';
import type { DigestsRepository } from '../../../src/store/digests-repository.js';
import { deliveryId } from '../../../src/store/delivery-id.js';
import { fulfilled, openPeerStore, raceBehindLock } from '../../helpers/race-behind-lock.js';
import { sampleCheck, sampleEvent } from '../../helpers/store-fixtures.js';
import { STORE_DIALECTS, useTestStores, type TestStore } from '../../helpers/test-stores.js';

const T0 = Date.UTC(2026, 10, 27, 1);
const MINUTE = 60_000;
const LEASE = 15 * MINUTE;
const PERIOD = '2026-11-27';
const [RISK, AUDIT] = ['risk@example.com', 'audit@example.com'];

describe.each(STORE_DIALECTS)('digests repository on %s', (dialect) => {
  const stores = useTestStores(dialect);
  let t: TestStore;
  let repo: DigestsRepository;

  /** Digest rows for two events to two recipients: e1 recorded at T0, e2 at T0 + 1 min. */
  beforeEach(async () => {
    t = await stores.open({ clock: () => T0 });
    repo = t.repos.digests;
    const customerId = (await t.repos.customers.add({ uscc: '91440300708461136T', name: '甲' })).customer.id;
    const digestRows = (eventId: string) => [RISK, AUDIT].map((target) => ({ eventId, channel: 'email_digest', target }));
    const first = sampleCheck(customerId, [sampleEvent(customerId, { id: 'e1', tier: 'medium' })], T0);
    await t.repos.checks.recordCheck({ ...first, deliveries: digestRows('e1') });
    const latest = await t.repos.checks.latestSnapshot(customerId);
    const second = sampleCheck(customerId, [sampleEvent(customerId, { id: 'e2', tier: 'low' })], T0 + MINUTE);
    await t.repos.checks.recordCheck({ ...second, basedOnSnapshotId: latest?.id ?? null, deliveries: digestRows('e2') });
  });

  const row = (id: string) => t.repos.deliveries.findDelivery(id);

  it('lists pending digest rows created before a cut-off, oldest first, up to a limit', async () => {
    expect(await repo.pendingDigest(T0, 10)).toEqual([]);
    const upToE1 = await repo.pendingDigest(T0 + 1, 10);
    expect(upToE1.map((r) => [r.eventId, r.target]).sort()).toEqual([['e1', AUDIT], ['e1', RISK]]);
    expect(upToE1[0]).toEqual({ id: deliveryId('e1', 'email_digest', upToE1[0]!.target), eventId: 'e1', target: upToE1[0]!.target });
    const all = await repo.pendingDigest(T0 + 2 * MINUTE, 10);
    expect(all.map((r) => r.eventId)).toEqual(['e1', 'e1', 'e2', 'e2']);
    expect(await repo.pendingDigest(T0 + 2 * MINUTE, 3)).toEqual(all.slice(0, 3));
  });

  it('claims a period once per lease, keeps its first cut-off, and gives the claim back', async () => {
    expect(await repo.digestSent(PERIOD)).toBe(false);
    expect(await repo.claimDigest(PERIOD, T0, LEASE, T0 - 5)).toEqual({ cutoff: T0 - 5 });
    // Another run during the lease is refused; after it (a crashed run) it takes over, with the first cut-off.
    expect(await repo.claimDigest(PERIOD, T0 + LEASE - 1, LEASE, T0 + 7)).toBeUndefined();
    expect(await repo.claimDigest(PERIOD, T0 + LEASE, LEASE, T0 + 7)).toEqual({ cutoff: T0 - 5 });
    // Given back after a failed send: the retry need not wait for the lease.
    await repo.releaseDigestClaim(PERIOD);
    expect(await repo.claimDigest(PERIOD, T0 + LEASE + 1, LEASE, T0 + 9)).toEqual({ cutoff: T0 - 5 });
    // Another period is a claim of its own.
    expect(await repo.claimDigest('2026-11-28', T0 + LEASE + 1, LEASE, T0 + 9)).toEqual({ cutoff: T0 + 9 });
  });

  it('records a period once; then it is sent and no longer claimed', async () => {
    await repo.claimDigest(PERIOD, T0, LEASE, T0);
    expect(await repo.recordDigest(PERIOD, T0 + 5, 2)).toBe(true);
    expect(await repo.recordDigest(PERIOD, T0 + 6, 3)).toBe(false);
    expect(await repo.digestSent(PERIOD)).toBe(true);
    expect(await repo.claimDigest(PERIOD, T0 + 2 * LEASE, LEASE, T0)).toBeUndefined();
    expect(await t.sql('select period, sent_at, event_count from digests')).toEqual([{ period: PERIOD, sent_at: T0 + 5, event_count: 2 }]);
    expect(await t.sql("select key from meta where key like 'digest_%'")).toEqual([]);
  });

  it("records one recipient's send for its rows: sent, still pending, or dead; rows no longer pending stay", async () => {
    const ids = (target: string) => [deliveryId('e1', 'email_digest', target), deliveryId('e2', 'email_digest', target)];
    await repo.recordDigestRows(RISK, ids(RISK), { kind: 'failed', error: 'SMTP 451', dead: false }, T0 + 10);
    expect(await row(ids(RISK)[0]!)).toMatchObject({ status: 'pending', attempts: 1, lastError: 'SMTP 451', nextAttemptAt: T0 });
    expect(await t.repos.deliveries.failingTargets()).toEqual([expect.objectContaining({ channel: 'email_digest', target: RISK, failedAttempts: 1 })]);

    await repo.recordDigestRows(RISK, ids(RISK), { kind: 'sent' }, T0 + 20);
    expect(await row(ids(RISK)[1]!)).toMatchObject({ status: 'sent', attempts: 2, sentAt: T0 + 20, nextAttemptAt: null, lastError: null });
    expect(await t.repos.deliveries.failingTargets()).toEqual([]);

    await repo.recordDigestRows(AUDIT, ids(AUDIT), { kind: 'failed', error: 'SMTP 550', dead: true }, T0 + 30);
    expect(await row(ids(AUDIT)[0]!)).toMatchObject({ status: 'dead', attempts: 1, lastError: 'SMTP 550', nextAttemptAt: null });
    // A late report for rows already sent or dead changes nothing.
    await repo.recordDigestRows(RISK, [...ids(RISK), ...ids(AUDIT)], { kind: 'failed', error: 'late', dead: true }, T0 + 40);
    expect(await row(ids(RISK)[0]!)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(await row(ids(AUDIT)[1]!)).toMatchObject({ status: 'dead', attempts: 1, lastError: 'SMTP 550' });
    expect(await t.repos.deliveries.countDead()).toBe(2);
  });

  if (dialect === 'postgres') {
    it.each([
      { state: 'never claimed', holder: 'rollback' as const },
      { state: 'claimed by a run whose lease ran out', holder: 'commit' as const },
    ])('two workers claiming one period at once ($state): exactly one wins', async ({ holder }) => {
      if (t.store.dialect !== 'postgres') throw new Error('expected PostgreSQL');
      const peer = await openPeerStore(t.cmDb);
      try {
        // A third transaction writes an expired claim and keeps it uncommitted while both claimers
        // arrive; it commits (an old claim to take over) or rolls back (none at all).
        const claims = fulfilled(
          await raceBehindLock(
            t.store.handle.pool,
            [['insert into meta (key, value) values ($1, $2)', [`digest_claim:${PERIOD}`, String(T0 - 2 * LEASE)]]],
            [() => repo.claimDigest(PERIOD, T0, LEASE, T0), () => peer.repos.digests.claimDigest(PERIOD, T0 + 1, LEASE, T0 + 1)],
            { ending: holder },
          ),
        );
        expect(claims.filter((claim) => claim !== undefined)).toHaveLength(1);
        const [stored] = await t.sql<{ value: string }>('select value from meta where key = ?', `digest_claim:${PERIOD}`);
        expect([String(T0), String(T0 + 1)]).toContain(stored?.value);
      } finally {
        await peer.close();
      }
    });
  }
});
