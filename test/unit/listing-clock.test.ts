/** The abnormal-operations clock: the third anniversary, the warning window, entries no longer in force, the cures. */
import { describe, expect, it } from 'vitest';
import { eventId } from '../../src/domain/event-id.js';
import {
  CLOCK_AGAINST,
  cureFor,
  escalatesOn,
  escalationDue,
  escalationDueEventId,
  escalationDueText,
  listingReason,
} from '../../src/domain/listing-clock.js';
import type { ListEntry } from '../../src/domain/snapshot.js';
import { sha256 } from './domain-fixtures.js';

const ANNUAL_REPORT = '未依照《企业信息公示暂行条例》第八条规定的期限公示年度报告的';

function entry(overrides: Partial<ListEntry> = {}): ListEntry {
  return {
    key: 'k1',
    listedOn: '2023-06-15',
    reason: ANNUAL_REPORT,
    authority: '深圳市市场监督管理局',
    removedOn: null,
    removalReason: null,
    missingReads: 0,
    ...overrides,
  };
}

describe('escalatesOn', () => {
  it.each([
    { listedOn: '2021-02-28', on: '2024-02-28' },
    { listedOn: '2024-02-29', on: '2027-02-28' },
    { listedOn: '2020-02-29', on: '2023-02-28' },
    { listedOn: '2023-12-31', on: '2026-12-31' },
  ])('$listedOn → $on', ({ listedOn, on }) => {
    expect(escalatesOn(listedOn)).toBe(on);
  });
});

describe('escalationDue', () => {
  // Listed 2023-06-15: escalates 2026-06-15; 60 days before is 2026-04-16.
  it.each([
    { name: 'a day before the warning starts', entries: [entry()], today: '2026-04-15', on: [] },
    { name: 'exactly when the warning starts', entries: [entry()], today: '2026-04-16', on: ['2026-06-15'] },
    { name: 'on the anniversary', entries: [entry()], today: '2026-06-15', on: ['2026-06-15'] },
    { name: 'past the anniversary, still in force', entries: [entry({ listedOn: '2019-01-10' })], today: '2026-12-01', on: ['2022-01-10'] },
    { name: 'a leap-day listing, warning start 2026-12-30', entries: [entry({ listedOn: '2024-02-29' })], today: '2026-12-30', on: ['2027-02-28'] },
    { name: 'a leap-day listing, the day before', entries: [entry({ listedOn: '2024-02-29' })], today: '2026-12-29', on: [] },
    { name: 'removed just before the warning', entries: [entry({ removedOn: '2026-04-15', removalReason: '补报年报' })], today: '2026-04-16', on: [] },
    { name: 'removed on the day the warning starts', entries: [entry({ removedOn: '2026-04-16' })], today: '2026-04-16', on: [] },
    { name: 'gone from two reads (removed, evidence missing)', entries: [entry({ missingReads: 2 })], today: '2026-05-01', on: [] },
    { name: 'missing from one read only: still in force', entries: [entry({ missingReads: 1 })], today: '2026-05-01', on: ['2026-06-15'] },
    { name: 'no listing date', entries: [entry({ listedOn: null })], today: '2026-05-01', on: [] },
    { name: 'a listing date that is no day', entries: [entry({ listedOn: '2023-02-30' })], today: '2026-05-01', on: [] },
    {
      name: 'only the entries in their window',
      entries: [entry({ key: 'a' }), entry({ key: 'b', listedOn: '2024-01-01' }), entry({ key: 'c', listedOn: '2023-05-01' })],
      today: '2026-04-16',
      on: ['2026-06-15', '2026-05-01'],
    },
  ])('$name', ({ entries, today, on }) => {
    expect(escalationDue(entries, today, 60).map((d) => d.escalatesOn)).toEqual(on);
  });

  it('follows warningDays', () => {
    expect(escalationDue([entry()], '2026-06-14', 1)).toHaveLength(1);
    expect(escalationDue([entry()], '2026-06-13', 1)).toHaveLength(0);
    expect(escalationDue([entry()], '2025-06-16', 365)).toHaveLength(1);
  });

  it('builds the draft like a listed event: the entry without bookkeeping, and escalatesOn', () => {
    expect(escalationDue([entry({ missingReads: 1 })], '2026-05-01', 60)).toEqual([
      {
        type: 'abnormal_operations.escalation_due',
        baseline: false,
        entry: { key: 'k1', listedOn: '2023-06-15', reason: ANNUAL_REPORT, authority: '深圳市市场监督管理局', removedOn: null, removalReason: null },
        escalatesOn: '2026-06-15',
      },
    ]);
  });
});

describe('escalationDueEventId', () => {
  const uscc = '91440300708461136T';

  it('is the event id of the draft, against the clock, whatever the day or the entry text', () => {
    const [first] = escalationDue([entry()], '2026-04-16', 60);
    const [later] = escalationDue([entry({ reason: '改写的原因', authority: null })], '2026-06-20', 60);
    const id = escalationDueEventId(sha256, uscc, 'k1');
    expect(eventId(sha256, { uscc, draft: first!, against: CLOCK_AGAINST })).toBe(id);
    expect(eventId(sha256, { uscc, draft: later!, against: CLOCK_AGAINST })).toBe(id);
  });

  it('differs per entry and per customer', () => {
    const ids = new Set([
      escalationDueEventId(sha256, uscc, 'k1'),
      escalationDueEventId(sha256, uscc, 'k2'),
      escalationDueEventId(sha256, '914403001922038216', 'k1'),
    ]);
    expect(ids.size).toBe(3);
  });
});

describe('cureFor', () => {
  it.each([
    { text: ANNUAL_REPORT, reason: 'annual_report', cure: /补报并公示所缺年度的年度报告/ },
    { text: '未依照<企业信息公示暂行条例>第八条规定的期限公示年度报告的', reason: 'annual_report', cure: /年度报告/ },
    {
      text: '未在工商行政管理部门依照《企业信息公示暂行条例》第十条规定责令的期限内公示有关企业信息的',
      reason: 'instant_disclosure',
      cure: /按责令要求公示有关企业信息/,
    },
    {
      text: '未在市场监督管理部门依照《企业信息公示暂行条例》第十条规定责令的期限内公示有关企业信息的',
      reason: 'instant_disclosure',
      cure: /按责令要求/,
    },
    { text: '公示企业信息隐瞒真实情况、弄虚作假的', reason: 'false_information', cure: /更正/ },
    { text: '公示企业信息隐瞒真实情况，弄虚作假的', reason: 'false_information', cure: /更正/ },
    { text: '通过登记的住所或者经营场所无法联系的', reason: 'unreachable', cure: /变更登记/ },
    { text: '通过登记的住所或者经营场所无法联系的（企业信息公示暂行条例第十七条）', reason: 'unreachable', cure: /变更登记/ },
    { text: ' 通过登记的住所或者经营场所 无法联系的 ', reason: 'unreachable', cure: /变更登记/ },
    { text: '其他原因', reason: undefined, cure: /纠正导致列入的情形/ },
  ])('$text → $reason', ({ text, reason, cure }) => {
    expect(listingReason(text)).toBe(reason);
    expect(cureFor(text).zh).toMatch(cure);
    expect(cureFor(text).en).toMatch(/apply/);
  });
});

describe('escalationDueText', () => {
  const [draft] = escalationDue([entry({ listedOn: '2024-02-29', reason: '通过登记的住所或者经营场所无法联系的' })], '2027-01-10', 60);

  it('says when, what happens, and the cure, in Chinese', () => {
    const text = escalationDueText({ entry: draft!.entry!, escalatesOn: draft!.escalatesOn! }, 'zh-CN');
    expect(text).toContain('2024-02-29');
    expect(text).toContain('将于2027-02-28届满3年');
    expect(text).toContain('严重违法失信名单');
    expect(text).toContain('3年内不得担任其他企业的法定代表人');
    expect(text).toContain('第十七条');
    expect(text).toContain('依法办理住所或经营场所变更登记');
  });

  it('and in English', () => {
    const text = escalationDueText({ entry: draft!.entry!, escalatesOn: draft!.escalatesOn! }, 'en');
    expect(text).toContain('reaches 3 years on 2027-02-28');
    expect(text).toContain('serious illegal and dishonest list');
    expect(text).toContain('Art. 17');
    expect(text).toContain('register a change of domicile');
  });
});
