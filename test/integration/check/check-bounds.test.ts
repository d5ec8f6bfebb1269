/**
 * Bounds on what one check takes from its provider (issue 9 point 16), through the real check path
 * (check harness: SQLite file, the mock provider over HTTP): a check over its byte budget fails the
 * section as a whole and never reads as a change; a text field of megabytes is stored truncated and
 * marked, the same on every read, so it never reads as a change either.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FIELD_CHARS } from '../../../src/domain/text.js';
import { startMockProviderServer, type MockProviderServer } from '../../../src/providers/mock/server.js';
import type { MockCompany, MockListEntry } from '../../../src/providers/mock/state.js';
import { openCheckHarness, type CheckHarness } from '../../helpers/check-harness.js';
import { mockProviderControl, type MockProviderControl } from '../../helpers/mock-provider-control.js';
import { testCompany, testEntries, testState } from '../../helpers/mock-provider-fixtures.js';
import { validUscc } from '../../helpers/valid-uscc.js';

const PADDED = validUscc(401);
const LONG_TEXT = validUscc(402);
const [AO_1] = testEntries(1, 'AO');
/** 400,000 CJK characters (1.2 MB of UTF-8): one answer under the page limit, far over the field cap. */
const HUGE_REASON = `未依照规定公示${'即时信息'.repeat(100_000)}`;

/** 100 entries of ~75 KB each: five pages of ~1.5 MB, each under the page limit, 7.5 MB in all. */
const padded = (): MockListEntry[] =>
  Array.from({ length: 100 }, (_, i) => ({ ...AO_1!, id: `PAD-${i + 1}`, reason: `${'未按照规定期限公示年度报告'.repeat(1_923)}${i}` }));

let server: MockProviderServer;
let control: MockProviderControl;
let harness: CheckHarness | undefined;

beforeAll(async () => {
  server = await startMockProviderServer({
    state: testState(
      testCompany(401, { abnormalOperations: [AO_1!] }),
      testCompany(402, { abnormalOperations: [{ ...AO_1!, reason: HUGE_REASON }] }),
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

async function open(uscc: string): Promise<CheckHarness> {
  harness = await openCheckHarness(server.url);
  await harness.store.repos.customers.add({ uscc, name: `客户${uscc.slice(-4)}` });
  return harness;
}

/** Serves company `n` with these fields from now on (the control API's PUT of a whole company). */
async function replaceCompany(n: number, overrides: Partial<MockCompany>): Promise<void> {
  const { uscc, ...company } = testCompany(n, overrides);
  await control.putCompany(uscc, company);
}

function latestSnapshot(h: CheckHarness): { abnormalOperations: Array<{ key: string; reason: string }> } {
  const row = h.store.handle.sqlite.prepare('SELECT body FROM snapshots ORDER BY id DESC LIMIT 1').get() as { body: string };
  return JSON.parse(row.body) as { abnormalOperations: Array<{ key: string; reason: string }> };
}

describe('the byte budget of one check', () => {
  it('a list that grows past it fails as a whole: no listed, no removed, the last known list kept, and back to normal after', async () => {
    const h = await open(PADDED);
    const baseline = await h.check(PADDED);
    expect(baseline.events.map((e) => e.type)).toEqual(['abnormal_operations.listed', 'grade.changed']);
    const snapshots = h.snapshotCount();

    await replaceCompany(401, { abnormalOperations: padded() });
    const over = await h.check(PADDED);
    expect(over.failedSections).toEqual([
      { section: 'abnormalOperations', error: { kind: 'invalid_response', message: expect.stringMatching(/exceed the limit of 6291456 bytes in all/) as string } },
    ]);
    expect(over.events).toEqual([]);
    expect(latestSnapshot(h).abnormalOperations.map((e) => e.key)).toEqual(['AO-1']);
    expect(h.snapshotCount()).toBe(snapshots);
    expect(h.customerRow(PADDED).consecutive_failures).toBe(1);

    await replaceCompany(401, { abnormalOperations: [AO_1!] });
    const back = await h.check(PADDED);
    expect(back.failedSections).toEqual([]);
    expect(back.events).toEqual([]);
  }, 60_000);
});

describe('a text field of megabytes', () => {
  it('is stored truncated and marked, in the snapshot and the event; the next reads are no change', async () => {
    const h = await open(LONG_TEXT);
    const baseline = await h.check(LONG_TEXT);
    expect(baseline.events.map((e) => e.type)).toEqual(['abnormal_operations.listed', 'grade.changed']);
    const [event] = h.eventRows();
    const reason = (JSON.parse(event!.payload) as { entry: { reason: string } }).entry.reason;
    expect(reason).toMatch(/^未依照规定公示(即时信息)+.* \[\.\.\. truncated, 400007 characters in all\]$/u);
    expect(Array.from(reason).length).toBeLessThanOrEqual(MAX_FIELD_CHARS);
    expect(latestSnapshot(h).abnormalOperations[0]?.reason).toBe(reason);
    const stored = h.store.handle.sqlite.prepare('SELECT max(length(body)) AS n FROM snapshots').get() as { n: number };
    expect(stored.n).toBeLessThan(4 * MAX_FIELD_CHARS);

    const again = await h.check(LONG_TEXT);
    expect(again.events).toEqual([]);
    expect(again.snapshotWritten).toBe(false);

    // Formatting noise in the long text (full-width spaces, a trailing newline) is still no change.
    await replaceCompany(402, { abnormalOperations: [{ ...AO_1!, reason: `${HUGE_REASON}\u3000\n` }] });
    const noisy = await h.check(LONG_TEXT);
    expect(noisy.events).toEqual([]);
    expect(noisy.snapshotWritten).toBe(false);
  }, 60_000);
});
