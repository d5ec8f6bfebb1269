import { beforeEach, describe, expect, it } from 'vitest';
import type { CustomersRepository } from '../../../src/store/customers-repository.js';
import { parseStoreLocation } from '../../../src/store/store-location.js';
import { openStore } from '../../../src/wiring/open-store.js';
import { holdPgTransaction } from '../../helpers/held-pg-transaction.js';
import { STORE_DIALECTS, useTestStores, type TestStore } from '../../helpers/test-stores.js';
import { validUscc } from '../../helpers/valid-uscc.js';

const A = '91440300708461136T';
const B = '914403001922038216';
const C = '9152000071430580XT';

describe.each(STORE_DIALECTS)('customers repository on %s', (dialect) => {
  const stores = useTestStores(dialect);
  let store: TestStore;
  let now: number;
  let repo: CustomersRepository;

  beforeEach(async () => {
    now = Date.UTC(2026, 10, 27, 8);
    store = await stores.open({ clock: () => now });
    repo = store.repos.customers;
  });

  it('reads the stored grade, its rule and when it was decided, the same from every query', async () => {
    await repo.add({ uscc: A, name: '平安银行股份有限公司', tags: [] });
    await store.sql("UPDATE customers SET grade = 'risk', grade_rule = 'abnormal-operations-in-force', graded_at = ? WHERE uscc = ?", now, A);
    const expected = { grade: 'risk', gradeRule: 'abnormal-operations-in-force', gradedAt: now };
    expect(await repo.findByUscc(A)).toMatchObject(expected);
    expect((await repo.list())[0]).toMatchObject(expected);
    expect((await repo.findDue(now, 10))[0]).toMatchObject(expected);
    expect(await store.repos.checks.findCustomer(A)).toMatchObject(expected);
  });

  it('adds a customer due at once, and tells created, updated and unchanged apart', async () => {
    const created = await repo.add({ uscc: A, name: '平安银行股份有限公司', tags: ['bank'] });
    expect(created.outcome).toBe('created');
    expect(created.customer).toMatchObject({
      uscc: A,
      name: '平安银行股份有限公司',
      tags: ['bank'],
      paused: false,
      lastCheckedAt: null,
      nextCheckAt: null,
      consecutiveFailures: 0,
      lastError: null,
      degraded: false,
      grade: 'unrated',
      gradeRule: null,
      gradedAt: null,
      createdAt: now,
      updatedAt: now,
      removedAt: null,
    });

    expect((await repo.add({ uscc: A, name: '平安银行股份有限公司', tags: ['bank'] })).outcome).toBe('unchanged');
    now += 1000;
    const renamed = await repo.add({ uscc: A, name: '平安银行', tags: ['bank', 'shenzhen'] });
    expect(renamed.outcome).toBe('updated');
    expect(renamed.customer).toMatchObject({ name: '平安银行', tags: ['bank', 'shenzhen'], updatedAt: now });
    expect(renamed.customer.createdAt).toBe(now - 1000);
  });

  it('keeps existing tags when none are given', async () => {
    await repo.add({ uscc: A, name: 'A', tags: ['x'] });
    expect((await repo.add({ uscc: A, name: 'A2' })).customer.tags).toEqual(['x']);
    expect((await repo.add({ uscc: A, name: 'A2', tags: null })).outcome).toBe('unchanged');
    expect((await repo.add({ uscc: A, name: 'A2', tags: [] })).customer.tags).toEqual([]);
    expect((await repo.add({ uscc: B, name: 'B' })).customer.tags).toEqual([]);
  });

  it('pauses, resumes and soft-removes; re-adding restores, unpaused and due at once', async () => {
    await repo.add({ uscc: A, name: 'A' });
    await repo.add({ uscc: B, name: 'B' });
    expect(await repo.setPaused(A, true)).toBe('changed');
    expect(await repo.setPaused(A, true)).toBe('unchanged');
    expect(await repo.setPaused(C, true)).toBe('not_found');
    expect((await repo.findByUscc(A))?.paused).toBe(true);

    await store.sql('update customers set next_check_at = ? where uscc = ?', now + 60_000, A);
    expect(await repo.remove(A)).toBe('changed');
    expect(await repo.remove(A)).toBe('unchanged');
    expect(await repo.remove(C)).toBe('not_found');
    expect(await repo.setPaused(A, false)).toBe('not_found'); // removed customers are not in the register
    expect(await repo.findByUscc(A)).toBeUndefined();
    expect((await repo.findByUscc(A, { includeRemoved: true }))?.removedAt).toBe(now);
    expect((await repo.list()).map((c) => c.uscc)).toEqual([B]);
    expect((await repo.list({ includeRemoved: true })).map((c) => c.uscc)).toEqual([A, B]);

    const restored = await repo.add({ uscc: A, name: 'A' });
    expect(restored.outcome).toBe('restored');
    expect(restored.customer).toMatchObject({ removedAt: null, paused: false, nextCheckAt: null });
    expect((await repo.list()).map((c) => c.uscc)).toEqual([A, B]);
  });

  it('counts and finds due customers, never-checked first', async () => {
    for (const [i, uscc] of [A, B, C, validUscc(1), validUscc(2)].entries()) {
      await repo.add({ uscc, name: `c${i}` });
    }
    const set = (nextCheckAt: number, failures: number, uscc: string) =>
      store.sql('update customers set next_check_at = ?, consecutive_failures = ? where uscc = ?', nextCheckAt, failures, uscc);
    await set(now - 10, 0, A); // overdue
    await set(now + 10, 2, B); // not yet due, failing
    await set(now - 20, 1, C); // more overdue, failing
    await repo.setPaused(validUscc(1), true); // never checked but paused
    await repo.remove(validUscc(2));

    expect(await repo.counts(now)).toEqual({ total: 4, paused: 1, due: 2, failing: 2 });
    expect((await repo.findDue(now, 10)).map((c) => c.uscc)).toEqual([C, A]);
    await repo.add({ uscc: validUscc(3), name: 'new' });
    expect((await repo.findDue(now, 10)).map((c) => c.uscc)).toEqual([validUscc(3), C, A]);
    expect((await repo.findDue(now, 1)).map((c) => c.uscc)).toEqual([validUscc(3)]);

    const pages: { uscc: string; dueAt: number | null }[][] = [];
    for await (const page of repo.iterateDue(now, 2)) pages.push(page);
    expect(pages).toEqual([
      [
        { uscc: A, dueAt: now - 10 },
        { uscc: C, dueAt: now - 20 },
      ],
      [{ uscc: validUscc(3), dueAt: null }],
    ]);
  });

  it('iterates monitored codes in pages, optionally by tag', async () => {
    const codes = Array.from({ length: 7 }, (_, i) => validUscc(i));
    for (const [i, uscc] of codes.entries()) {
      await repo.add({ uscc, name: `c${i}`, tags: i % 2 === 0 ? ['even', 'all'] : ['all'] });
    }
    await repo.setPaused(codes[2]!, true);
    await repo.remove(codes[3]!);

    const collect = async (options: { tag?: string; pageSize?: number }): Promise<string[]> => {
      const out: string[] = [];
      for await (const uscc of repo.iterateUsccs(options)) out.push(uscc);
      return out;
    };
    expect(await collect({ pageSize: 2 })).toEqual([0, 1, 4, 5, 6].map((i) => codes[i]));
    expect(await collect({ tag: 'even', pageSize: 1 })).toEqual([0, 4, 6].map((i) => codes[i]));
    expect(await collect({ tag: 'nope' })).toEqual([]);
  });

  it('upserts many rows in batches and reports what it did', async () => {
    await repo.add({ uscc: A, name: 'old', tags: ['keep'] });
    await repo.add({ uscc: B, name: 'B' });
    await repo.remove(B);
    const rows = [
      { uscc: A, name: 'new', tags: null },
      { uscc: B, name: 'B', tags: ['back'] },
      ...Array.from({ length: 5 }, (_, i) => ({ uscc: validUscc(i), name: `n${i}`, tags: [] })),
    ];
    expect(await repo.upsertMany(rows, { batchSize: 3 })).toEqual({ created: 5, updated: 1, restored: 1, unchanged: 0 });
    expect(await repo.findByUscc(A)).toMatchObject({ name: 'new', tags: ['keep'] });
    expect(await repo.findByUscc(B)).toMatchObject({ tags: ['back'], removedAt: null });
    expect(await repo.upsertMany(rows, { batchSize: 3 })).toEqual({ created: 0, updated: 0, restored: 0, unchanged: 7 });
  });

  it('applies a code repeated within one batch after its earlier row, as one row after the other', async () => {
    expect(await repo.upsertMany([{ uscc: A, name: 'first', tags: ['x'] }, { uscc: B, name: 'B' }, { uscc: A, name: 'second' }])).toEqual({
      created: 2,
      updated: 1,
      restored: 0,
      unchanged: 0,
    });
    expect(await repo.findByUscc(A)).toMatchObject({ name: 'second', tags: ['x'] });
  });

  it('two imports of the same codes at once, from two connections: each code stored once, created by one and updated by the other', async () => {
    // A second worker's store on the same database.
    const other = await openStore({ store: parseStoreLocation(store.cmDb, process.cwd()) }, { clock: () => now });
    try {
      const codes = Array.from({ length: 2000 }, (_, i) => validUscc(i));
      const [mine, theirs] = await Promise.all([
        repo.upsertMany(codes.map((uscc) => ({ uscc, name: 'mine', tags: ['a'] })), { batchSize: 250 }),
        other.repos.customers.upsertMany(codes.map((uscc) => ({ uscc, name: 'theirs', tags: ['b'] })), { batchSize: 250 }),
      ]);
      expect(mine.created + theirs.created).toBe(2000);
      expect(mine.updated + theirs.updated).toBe(2000);
      expect(mine.unchanged + theirs.unchanged + mine.restored + theirs.restored).toBe(0);
      const stored = await repo.list();
      expect(stored.map((c) => c.uscc).sort()).toEqual([...codes].sort());
      for (const customer of stored) expect([['mine', ['a']], ['theirs', ['b']]]).toContainEqual([customer.name, customer.tags]);
    } finally {
      await other.close();
    }
  });
});

describe('customers repository on postgres, against another transaction', () => {
  const stores = useTestStores('postgres');

  it.each([
    { ending: 'commit', expected: { created: 1, updated: 1 } },
    { ending: 'rollback', expected: { created: 2, updated: 0 } },
  ] as const)('an import meeting a code another transaction is inserting waits for it, then adds or updates it ($ending)', async ({ ending, expected }) => {
    const now = Date.UTC(2026, 10, 27, 8);
    const { store, repos } = await stores.open({ clock: () => now });
    if (store.dialect !== 'postgres') throw new Error('expected PostgreSQL');
    const held = await holdPgTransaction(store.handle.pool, [
      ['insert into customers (uscc, name, created_at, updated_at) values ($1, $2, $3, $3)', [A, 'inserted elsewhere', now]],
    ]);
    const importing = repos.customers.upsertMany([
      { uscc: B, name: 'mine' },
      { uscc: A, name: 'mine' },
    ]);
    await held.blocking();
    await (ending === 'commit' ? held.commit() : held.rollback());
    expect(await importing).toEqual({ ...expected, restored: 0, unchanged: 0 });
    expect((await repos.customers.list()).map((c) => [c.uscc, c.name]).sort()).toEqual([
      [B, 'mine'],
      [A, 'mine'],
    ].sort());
  });
});
