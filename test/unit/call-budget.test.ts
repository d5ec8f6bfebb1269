import { describe, expect, it } from 'vitest';
import { runSweep, type DueCheck } from '../../src/app/run-sweep.js';
import { endOfShanghaiDay } from '../../src/jobs/call-budget.js';

describe('endOfShanghaiDay', () => {
  it.each([
    { day: '2026-11-27', end: '2026-11-27T16:00:00.000Z' },
    { day: '2026-12-31', end: '2026-12-31T16:00:00.000Z' },
    { day: '2027-02-28', end: '2027-02-28T16:00:00.000Z' },
  ])('$day ends at $end', ({ day, end }) => {
    expect(new Date(endOfShanghaiDay(day)).toISOString()).toBe(end);
  });
});

describe('runSweep with a call budget', () => {
  const due: DueCheck[] = [{ uscc: 'A', dueAt: null }, { uscc: 'B', dueAt: 5 }];
  const deps = (spentUntil: number | undefined) => {
    const enqueued: DueCheck[] = [];
    const sweeps: number[] = [];
    return {
      enqueued,
      sweeps,
      deps: {
        // eslint-disable-next-line @typescript-eslint/require-await -- an async iterable of one page
        dueCustomers: async function* () { yield due; },
        enqueueChecks: (checks: DueCheck[]) => { enqueued.push(...checks); return Promise.resolve(); },
        recordSweep: (at: number) => { sweeps.push(at); return Promise.resolve(); },
        markQueued: () => Promise.resolve(),
        budgetSpentUntil: () => Promise.resolve(spentUntil),
      },
    };
  };

  it.each([
    { name: 'budget left', spentUntil: undefined, enqueued: 2 },
    { name: 'budget spent', spentUntil: 86_400_000, enqueued: 0 },
  ])('$name: enqueues $enqueued and still records the sweep', async ({ spentUntil, enqueued }) => {
    const t = deps(spentUntil);
    const outcome = await runSweep(t.deps, 1000);
    expect(outcome.enqueued).toBe(enqueued);
    expect(outcome.deferredUntil).toBe(spentUntil);
    expect(t.enqueued).toHaveLength(enqueued);
    expect(t.sweeps).toEqual([1000]);
  });
});
