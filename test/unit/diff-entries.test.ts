import { describe, expect, it } from 'vitest';
import { diffEntries, isRemoved } from '../../src/domain/diff-entries.js';
import type { EventDraft } from '../../src/domain/events.js';
import type { ListEntry, ListSection } from '../../src/domain/snapshot.js';
import { entry } from './domain-fixtures.js';

/** Feeds successive successful reads of one list through the diff, from the baseline on. */
function run(reads: ListEntry[][], list: ListSection = 'abnormalOperations'): { events: string[][]; last: ListEntry[] } {
  let current: ListEntry[] | null = null;
  const events: string[][] = [];
  for (const read of reads) {
    const result = diffEntries(current, read, list, false);
    events.push(result.events.map(describeEvent));
    current = result.next;
  }
  return { events, last: current ?? [] };
}

function describeEvent(e: EventDraft): string {
  return [e.type, e.entry?.key, e.evidence, e.baseline ? 'baseline' : undefined].filter((x) => x !== undefined).join(' ');
}

const A = entry('a');
const B = entry('b', { listedOn: '2025-07-10' });
const A_REMOVED = entry('a', { removedOn: '2027-01-05', removalReason: '已补报年度报告' });

describe('diffEntries', () => {
  it.each([
    { name: 'baseline lists entries in force', reads: [[A, B]], events: [['abnormal_operations.listed a baseline', 'abnormal_operations.listed b baseline']] },
    { name: 'baseline skips entries already removed', reads: [[A_REMOVED]], events: [[]] },
    { name: 'a new entry is listed', reads: [[A], [A, B]], events: [['abnormal_operations.listed a baseline'], ['abnormal_operations.listed b']] },
    { name: 'reordered entries', reads: [[A, B], [B, A]], events: [['abnormal_operations.listed a baseline', 'abnormal_operations.listed b baseline'], []] },
    { name: 'an entry first seen removed is history', reads: [[], [A_REMOVED]], events: [[], []] },
    { name: 'a removal date is a removal', reads: [[A], [A_REMOVED]], events: [['abnormal_operations.listed a baseline'], ['abnormal_operations.removed a removal_date']] },
    { name: 'one missing read is not a removal', reads: [[A], []], events: [['abnormal_operations.listed a baseline'], []] },
    { name: 'two missing reads are', reads: [[A], [], []], events: [['abnormal_operations.listed a baseline'], [], ['abnormal_operations.removed a missing']] },
    { name: 'and never again', reads: [[A], [], [], [], []], events: [['abnormal_operations.listed a baseline'], [], ['abnormal_operations.removed a missing'], [], []] },
    { name: 'reappearing after one miss is silent', reads: [[A], [], [A], [], [A]], events: [['abnormal_operations.listed a baseline'], [], [], [], []] },
    { name: 'a removed entry that vanishes says nothing more', reads: [[A], [A_REMOVED], [], []], events: [['abnormal_operations.listed a baseline'], ['abnormal_operations.removed a removal_date'], [], []] },
    {
      name: 'a flapping entry alerts once each way',
      reads: [[A], [], [], [A], [], [], [A_REMOVED], [A], [A_REMOVED]],
      events: [['abnormal_operations.listed a baseline'], [], ['abnormal_operations.removed a missing'], [], [], [], [], [], []],
    },
    {
      name: 'a removal date that comes and goes alerts once',
      reads: [[A], [A_REMOVED], [A], [A_REMOVED]],
      events: [['abnormal_operations.listed a baseline'], ['abnormal_operations.removed a removal_date'], [], []],
    },
    { name: 'a vanished entry that comes back is not listed again', reads: [[A], [], [], [A]], events: [['abnormal_operations.listed a baseline'], [], ['abnormal_operations.removed a missing'], []] },
  ])('$name', ({ reads, events }) => {
    expect(run(reads).events).toEqual(events);
  });

  it('keeps a vanished entry with its missing count, capped at 2', () => {
    expect(run([[A, B], [B]]).last).toEqual([entry('a', { missingReads: 1 }), B]);
    expect(run([[A, B], [B], [B], [B]]).last).toEqual([entry('a', { missingReads: 2 }), B]);
  });

  it('resets the missing count when an entry is back after one miss', () => {
    expect(run([[A], [], [A]]).last).toEqual([A]);
  });

  it('keeps a removal date the provider stopped showing', () => {
    expect(run([[A], [A_REMOVED], [A]]).last).toEqual([A_REMOVED]);
  });

  it('carries the removal details in the event', () => {
    const result = diffEntries([A], [A_REMOVED], 'seriousViolations', false);
    expect(result.events).toEqual([
      {
        type: 'serious_violation.removed',
        baseline: false,
        evidence: 'removal_date',
        entry: { key: 'a', listedOn: '2026-11-20', reason: A.reason, authority: A.authority, removedOn: '2027-01-05', removalReason: '已补报年度报告' },
      },
    ]);
  });

  it('uses the serious violation event types on that list', () => {
    expect(run([[A], [A, B], [A], []], 'seriousViolations').events).toEqual([
      ['serious_violation.listed a baseline'],
      ['serious_violation.listed b'],
      [],
      ['serious_violation.removed b missing'],
    ]);
  });

  it.each([
    { entry: A, removed: false },
    { entry: A_REMOVED, removed: true },
    { entry: entry('a', { missingReads: 1 }), removed: false },
    { entry: entry('a', { missingReads: 2 }), removed: true },
  ])('isRemoved($entry.removedOn, $entry.missingReads) is $removed', ({ entry: e, removed }) => {
    expect(isRemoved(e)).toBe(removed);
  });
});
