/**
 * The holes in "no false alert, nothing lost" that a review found (issue 9, points 1–4), each
 * through the real check path: a SQLite file, the mock provider over HTTP on 127.0.0.1.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMockProviderServer, type MockProviderServer } from '../../../src/providers/mock/server.js';
import { openCheckHarness, type CheckHarness } from '../../helpers/check-harness.js';
import { mockProviderControl, type MockProviderControl } from '../../helpers/mock-provider-control.js';
import { testCompany, testEntries, testState } from '../../helpers/mock-provider-fixtures.js';
import { validUscc } from '../../helpers/valid-uscc.js';

const LISTED = validUscc(201);
const [AO_1, AO_2] = testEntries(2, 'AO');

let server: MockProviderServer;
let control: MockProviderControl;
let harness: CheckHarness | undefined;

beforeAll(async () => {
  server = await startMockProviderServer({ state: testState(testCompany(201, { abnormalOperations: [AO_1!, AO_2!] })) });
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

async function open(): Promise<CheckHarness> {
  harness = await openCheckHarness(server.url);
  await harness.store.repos.customers.add({ uscc: LISTED, name: '客户' });
  return harness;
}

const types = (events: Array<{ type: string }>): string[] => events.map((e) => e.type).sort();

describe('a change of method is adopted per section', () => {
  it('a section that keeps failing does not keep the others in a silent re-baseline', async () => {
    const h = await open();
    await h.checkAs({ id: 'tianyancha' }, LISTED);
    // The provider switch: every later check is made by "mock"; serious violations keep failing.
    await control.addFault({ kind: '5xx', uscc: LISTED, section: 'serious-violations' });

    const switched = await h.check(LISTED);
    expect(switched.methodChanged).toBe(true);
    expect(switched.events).toEqual([]);

    await control.patchCompany(LISTED, { legalPerson: '李四' });
    await control.deleteEntry(LISTED, 'abnormal-operations', AO_2!.id);
    const next = await h.check(LISTED);
    expect(next.methodChanged).toBe(false);
    expect(types(next.events)).toEqual(['registration.legal_representative_changed']);
    const removed = (await h.check(LISTED)).events.filter((e) => e.type.startsWith('abnormal_operations.'));
    expect(removed.map((e) => [e.type, e.entry?.key, e.evidence])).toEqual([['abnormal_operations.removed', AO_2!.id, 'missing']]);
  });

  it('the failed section re-baselines silently once it is read', async () => {
    const h = await open();
    await h.checkAs({ id: 'tianyancha' }, LISTED);
    await control.addFault({ kind: '5xx', uscc: LISTED, section: 'abnormal-operations', times: 1 });
    await h.check(LISTED);
    // Its first read under the new method: keys may differ, so nothing vanished is "removed".
    await control.deleteEntry(LISTED, 'abnormal-operations', AO_2!.id);
    const read = await h.check(LISTED);
    expect(read.methodChanged).toBe(true);
    expect(read.events).toEqual([]);
    expect((await h.check(LISTED)).events).toEqual([]);
  });
});

describe('listed once in its life, over the whole history', () => {
  it('an entry dropped by a re-baseline that read nothing is not listed again when it is back', async () => {
    const h = await open();
    const baseline = await h.checkAs({ id: 'tianyancha' }, LISTED);
    expect(types(baseline.events)).toEqual(['abnormal_operations.listed', 'abnormal_operations.listed', 'grade.changed']);

    // A provider that knows none of the listings (an operator's deliberate switch to the demo). The
    // grade follows what it reads, silently, as the diff does: a change of method is not news.
    await control.deleteEntry(LISTED, 'abnormal-operations', AO_1!.id);
    await control.deleteEntry(LISTED, 'abnormal-operations', AO_2!.id);
    const demo = await h.check(LISTED);
    expect(demo.events).toEqual([]);
    expect(demo.grade).toMatchObject({ before: 'risk', after: 'fair', decided: true });
    await control.reset();

    // The real provider is back: both listings were reported before, under their keys and dates.
    const back = await h.checkAs({ id: 'tianyancha' }, LISTED);
    expect(back.events).toEqual([]);
    expect(back.grade).toMatchObject({ before: 'fair', after: 'risk' });
    expect(h.eventRows().filter((e) => e.type === 'abnormal_operations.listed')).toHaveLength(2);
    expect(h.eventRows().filter((e) => e.type === 'grade.changed')).toHaveLength(1);
  });

  it('a provider that does not know the company is a monitoring problem, never registration.not_found', async () => {
    const h = await open();
    await h.checkAs({ id: 'tianyancha' }, LISTED);
    await control.deleteCompany(LISTED);
    const unknown = await h.check(LISTED);
    expect(unknown.events).toEqual([]);
    expect(unknown.failedSections.map((f) => [f.section, f.error.kind])).toEqual([['registration', 'not_found']]);
    expect(h.customerRow(LISTED).consecutive_failures).toBe(1);
    const held = await h.store.repos.checks.latestSnapshot(1);
    expect(held?.body.registration).toMatchObject({ legalRepresentative: '张三' });
  });
});

describe('a partial answer is not a change', () => {
  it('an absent legal representative and an unreadable capital keep their values, and say so', async () => {
    const h = await open();
    await h.check(LISTED);
    await control.patchCompany(LISTED, { legalPerson: null, regCapital: '壹仟万元' });
    const partial = await h.check(LISTED);
    expect(partial.events).toEqual([]);
    expect(partial.keptFields).toEqual([
      { field: 'legalRepresentative', reason: 'absent' },
      { field: 'registeredCapital', reason: 'unreadable' },
    ]);
    await control.reset();
    const back = await h.check(LISTED);
    expect(back.events).toEqual([]);
    expect(back.keptFields).toEqual([]);
  });

  it.each(['1000万元整', '1000万元人民币（实缴）', '1000万元/人民币'])('capital %j is the same 1000万 CNY', async (text) => {
    const h = await open();
    await h.check(LISTED);
    await control.patchCompany(LISTED, { regCapital: text });
    const outcome = await h.check(LISTED);
    expect(outcome.events).toEqual([]);
    expect(outcome.keptFields).toEqual([]);
  });
});

describe('two checks of one customer at once', () => {
  it('the later commit is diffed again against the earlier one: nothing dropped, nothing listed twice', async () => {
    const h = await open();
    await control.deleteEntry(LISTED, 'abnormal-operations', AO_2!.id);
    await h.check(LISTED);

    // Check A reads the provider before AO_2 is listed, check B after; both then read the same last
    // snapshot, and B commits first. A's older answer (which differs from the last snapshot too)
    // must not drop B's new entry.
    await control.patchCompany(LISTED, { legalPerson: '李四' });
    let releaseA = (): void => undefined;
    const aMayGoOn = new Promise<void>((resolve) => { releaseA = resolve; });
    let aFetched = (): void => undefined;
    const aHasFetched = new Promise<void>((resolve) => { aFetched = resolve; });
    const a = h.checkWith(
      (real) => ({ ...real, id: real.id, version: real.version, fetchSections: async (code, signal) => {
        const answer = await real.fetchSections(code, signal);
        aFetched();
        await aMayGoOn;
        return answer;
      } }),
      LISTED,
    );
    await aHasFetched;
    await control.addEntry(LISTED, 'abnormal-operations', AO_2!);
    const b = h.checkWith(
      (real) => ({ ...real, id: real.id, version: real.version, fetchSections: async (code, signal) => {
        const answer = await real.fetchSections(code, signal);
        // After B has gone on to diff and queue its write, A goes on too.
        setImmediate(releaseA);
        return answer;
      } }),
      LISTED,
    );
    const [outcomeA, outcomeB] = await Promise.all([a, b]);
    expect(outcomeB.events.map((e) => [e.type, e.entry?.key])).toEqual([
      ['registration.legal_representative_changed', undefined],
      ['abnormal_operations.listed', AO_2!.id],
    ]);
    expect(outcomeA.events).toEqual([]);

    const latest = await h.store.repos.checks.latestSnapshot(1);
    expect(latest?.body.abnormalOperations?.map((e) => e.key)).toEqual([AO_1!.id, AO_2!.id]);
    await h.check(LISTED);
    expect(h.eventRows().filter((e) => e.type === 'abnormal_operations.listed').map((e) => (JSON.parse(e.payload) as { entry: { key: string } }).entry.key)).toEqual([
      AO_1!.id,
      AO_2!.id,
    ]);
  });
});
