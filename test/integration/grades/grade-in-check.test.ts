/**
 * The grade as part of every check, below the CLI: the real check wiring over a SQLite file and the
 * mock provider over HTTP. A listing downgrades in the same check that reads it; a check with a
 * failed section never moves the grade on a guess; every change is kept in grade_history.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDay } from '../../../src/domain/dates.js';
import { startMockProviderServer, type MockProviderServer } from '../../../src/providers/mock/server.js';
import { openCheckHarness, type CheckHarness } from '../../helpers/check-harness.js';
import { mockProviderControl, type MockProviderControl } from '../../helpers/mock-provider-control.js';
import { testCompany, testEntries, testState } from '../../helpers/mock-provider-fixtures.js';
import { validUscc } from '../../helpers/valid-uscc.js';

const CLEAN = validUscc(601);
const LISTED = validUscc(602);
const [AO] = testEntries(1, 'AO');
const NEW_LISTING = { id: 'AO-NEW', listedOn: '2026-11-20', reason: '通过登记的住所或者经营场所无法联系的', authority: '深圳市市场监督管理局' };
const GOOD_FIGURES = { asOf: shanghaiDay(Date.now() - 30 * 86_400_000), onTimePaymentRate: 97, fulfilmentRate: 99, overdueAmount: 0, creditLimit: null };

let server: MockProviderServer;
let control: MockProviderControl;
let harness: CheckHarness | undefined;

beforeAll(async () => {
  server = await startMockProviderServer({ state: testState(testCompany(601), testCompany(602, { abnormalOperations: [AO!] })) });
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

async function open(...usccs: string[]): Promise<CheckHarness> {
  harness = await openCheckHarness(server.url);
  for (const uscc of usccs) await harness.store.repos.customers.add({ uscc, name: `客户${uscc.slice(-4)}` });
  return harness;
}

const grades = (h: CheckHarness) =>
  h.store.handle.sqlite.prepare('SELECT previous_grade AS previous, grade, rule FROM grade_history ORDER BY id').all() as Array<{ previous: string; grade: string; rule: string }>;
const stored = (h: CheckHarness, uscc: string) => h.store.repos.customers.findByUscc(uscc);

describe('the grade in every check', () => {
  it('a first grade other than risk is recorded without an event', async () => {
    const h = await open(CLEAN);
    await h.store.repos.figures.upsertMany([{ uscc: CLEAN, figures: GOOD_FIGURES }], Date.now());
    const outcome = await h.check(CLEAN);
    expect(outcome.events).toEqual([]);
    // Penalties are switched off by default, so 优质 cannot be told: 良好 on these figures.
    expect(outcome.grade).toEqual({ before: 'unrated', after: 'good', rule: 'good', decided: true });
    expect(await stored(h, CLEAN)).toMatchObject({ grade: 'good', gradeRule: 'good', gradedAt: expect.any(Number) as number });
    expect(grades(h)).toEqual([{ previous: 'unrated', grade: 'good', rule: 'good' }]);
  });

  it('a listing downgrades to risk in the same check that reads it, with the strategy in its event', async () => {
    const h = await open(CLEAN);
    await h.store.repos.figures.upsertMany([{ uscc: CLEAN, figures: GOOD_FIGURES }], Date.now());
    await h.check(CLEAN);
    await control.addEntry(CLEAN, 'abnormal-operations', NEW_LISTING);

    const listed = await h.check(CLEAN);
    expect(listed.events.map((e) => `${e.type}/${e.tier}`)).toEqual(['abnormal_operations.listed/high', 'grade.changed/high']);
    expect(listed.events[1]).toMatchObject({
      baseline: false,
      change: { field: 'grade', before: 'good', after: 'risk' },
      grade: { grade: 'risk', rule: 'abnormal-operations-in-force' },
      strategy: { paymentTermDays: 0, settlement: 'prepayment', depositPercent: 100, newOrders: 'blocked' },
    });
    // One check: both events belong to the snapshot it wrote (the case it opened belongs to none).
    const links = h.store.handle.sqlite.prepare("SELECT DISTINCT snapshot_id FROM events WHERE type NOT LIKE 'case.%'").all();
    expect(links).toHaveLength(1);
    expect(grades(h).map((g) => `${g.previous}→${g.grade}`)).toEqual(['unrated→good', 'good→risk']);

    // Taken off the list (removal date): a rise, to 一般 while the removal is recent.
    await control.patchEntry(CLEAN, 'abnormal-operations', 'AO-NEW', { removedOn: shanghaiDay(Date.now()), removalReason: '已补报' });
    const removed = await h.check(CLEAN);
    expect(removed.events.map((e) => `${e.type}/${e.tier}`)).toEqual(['abnormal_operations.removed/info', 'grade.changed/low']);
    expect(removed.grade).toMatchObject({ after: 'fair', rule: 'abnormal-operations-removed-recently' });
    expect((await h.check(CLEAN)).events).toEqual([]);
    expect(grades(h).map((g) => `${g.previous}→${g.grade}`)).toEqual(['unrated→good', 'good→risk', 'risk→fair']);
  });

  it('a failed section never moves the grade on a guess, either way', async () => {
    const h = await open(LISTED, CLEAN);
    await h.store.repos.figures.upsertMany([{ uscc: CLEAN, figures: GOOD_FIGURES }], Date.now());
    expect((await h.check(LISTED)).grade.after).toBe('risk');
    expect((await h.check(CLEAN)).grade.after).toBe('good');

    // The listing is gone at the provider, but the list fails: risk stands, no event, no history.
    await control.deleteEntry(LISTED, 'abnormal-operations', AO!.id);
    await control.addFault({ kind: '5xx', uscc: LISTED, section: 'abnormal-operations' });
    // A new listing on the serious list nobody could read: good stands too (it is not "clean").
    await control.addEntry(CLEAN, 'serious-violations', NEW_LISTING);
    await control.addFault({ kind: 'timeout', uscc: CLEAN, section: 'serious-violations' });
    for (const uscc of [LISTED, CLEAN]) {
      const failed = await h.check(uscc);
      expect(failed.failedSections).toHaveLength(1);
      expect(failed.events).toEqual([]);
      expect(failed.grade).toMatchObject({ decided: false });
      expect(failed.grade.after).toBe(failed.grade.before);
    }
    expect((await stored(h, LISTED))?.grade).toBe('risk');
    expect((await stored(h, CLEAN))?.grade).toBe('good');
    expect(grades(h)).toHaveLength(2);

    // Read again: the serious listing is risk at once; the other keeps risk until its entry is seen gone twice.
    await control.clearFaults();
    const seen = await h.check(CLEAN);
    expect(seen.events.map((e) => e.type)).toEqual(['serious_violation.listed', 'grade.changed']);
    expect(seen.grade).toMatchObject({ before: 'good', after: 'risk', rule: 'serious-violation-in-force' });
  });

  it('a check that reads only the registration still decides when the registration alone decides', async () => {
    const h = await open(CLEAN);
    await control.patchCompany(CLEAN, { status: '吊销，未注销' });
    await control.addFault({ kind: '5xx', uscc: CLEAN, section: 'abnormal-operations' });
    await control.addFault({ kind: '5xx', uscc: CLEAN, section: 'serious-violations' });
    const outcome = await h.check(CLEAN);
    expect(outcome.failedSections).toHaveLength(2);
    expect(outcome.grade).toEqual({ before: 'unrated', after: 'risk', rule: 'terminal-status', decided: true });
    expect(outcome.events.map((e) => e.type).sort()).toEqual(['grade.changed', 'registration.status_changed']);
  });

  it('no registration read, no grade: the customer stays unrated', async () => {
    const h = await open(CLEAN);
    await control.addFault({ kind: '5xx', uscc: CLEAN, section: 'registration' });
    const outcome = await h.check(CLEAN);
    expect(outcome.grade).toEqual({ before: 'unrated', after: 'unrated', rule: null, decided: false });
    expect(await stored(h, CLEAN)).toMatchObject({ grade: 'unrated', gradedAt: null });
    expect(grades(h)).toEqual([]);
  });
});
