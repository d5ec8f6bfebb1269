import { beforeEach, describe, expect, it } from 'vitest';
import type { TradingFigures } from '../../../src/domain/trading-figures.js';
import type { FiguresRepository } from '../../../src/store/figures-repository.js';
import { STORE_DIALECTS, useTestStores, type TestStore } from '../../helpers/test-stores.js';

const A = '91440300708461136T';
const B = '914403001922038216';
const GONE = '9152000071430580XT';
const UNKNOWN = '91350100M000100Y43';

const figures = (asOf: string, overrides: Partial<TradingFigures> = {}): TradingFigures => ({
  asOf,
  onTimePaymentRate: 98.5,
  fulfilmentRate: 100,
  overdueAmount: 1234.56,
  creditLimit: 5_000_000,
  ...overrides,
});

describe.each(STORE_DIALECTS)('trading figures repository on %s', (dialect) => {
  const stores = useTestStores(dialect);
  let t: TestStore;
  let repo: FiguresRepository;
  let a: number;
  let b: number;

  beforeEach(async () => {
    t = await stores.open();
    repo = t.repos.figures;
    a = (await t.repos.customers.add({ uscc: A, name: '甲' })).customer.id;
    b = (await t.repos.customers.add({ uscc: B, name: '乙' })).customer.id;
    await t.repos.customers.add({ uscc: GONE, name: '丙' });
    await t.repos.customers.remove(GONE);
  });

  it('upserts per customer and asOf, keeping every day: created, updated only when a figure differs, unchanged', async () => {
    const first = await repo.upsertMany(
      [
        { uscc: A, figures: figures('2026-09-30') },
        { uscc: A, figures: figures('2026-10-31', { overdueAmount: null, creditLimit: null }) },
        { uscc: B, figures: figures('2026-10-31', { onTimePaymentRate: 0.25 }) },
      ],
      1000,
    );
    expect(first).toEqual(['created', 'created', 'created']);

    const again = await repo.upsertMany(
      [
        { uscc: A, figures: figures('2026-09-30') },
        { uscc: A, figures: figures('2026-10-31', { overdueAmount: 0, creditLimit: null }) },
        { uscc: B, figures: figures('2026-11-30') },
      ],
      2000,
    );
    expect(again).toEqual(['unchanged', 'updated', 'created']);

    expect(await repo.history(a)).toEqual([
      { ...figures('2026-09-30'), importedAt: 1000 },
      { ...figures('2026-10-31', { overdueAmount: 0, creditLimit: null }), importedAt: 2000 },
    ]);
    expect(await repo.latest(a)).toEqual({ ...figures('2026-10-31', { overdueAmount: 0, creditLimit: null }), importedAt: 2000 });
    expect(await repo.latest(b)).toEqual({ ...figures('2026-11-30'), importedAt: 2000 });
    expect((await repo.history(b)).map((f) => [f.asOf, f.onTimePaymentRate])).toEqual([['2026-10-31', 0.25], ['2026-11-30', 98.5]]);
    expect(await t.repos.checks.latestFigures(a)).toEqual(figures('2026-10-31', { overdueAmount: 0, creditLimit: null }));
  });

  it('latest is by asOf, not by import: an older day imported later does not replace it', async () => {
    await repo.upsertMany([{ uscc: A, figures: figures('2026-10-31') }], 1000);
    await repo.upsertMany([{ uscc: A, figures: figures('2026-06-30', { fulfilmentRate: 50 }) }], 2000);
    expect((await repo.latest(a))?.asOf).toBe('2026-10-31');
    expect(await repo.latest(b)).toBeNull();
    expect(await t.repos.checks.latestFigures(b)).toBeNull();
  });

  it('refuses, row by row, codes not in the register or removed from it, and writes the rest', async () => {
    const outcomes = await repo.upsertMany(
      [
        { uscc: UNKNOWN, figures: figures('2026-10-31') },
        { uscc: A, figures: figures('2026-10-31') },
        { uscc: GONE, figures: figures('2026-10-31') },
      ],
      1000,
    );
    expect(outcomes).toEqual(['unknown_customer', 'created', 'unknown_customer']);
    expect(await t.sql('select count(*) as n from trading_figures')).toEqual([{ n: 1 }]);
  });

  it('commits batch by batch and answers every row in order', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => ({ uscc: i % 2 === 0 ? A : B, figures: figures(`2026-10-${String(10 + i)}`) }));
    expect(await repo.upsertMany(rows, 1000, { batchSize: 3 })).toEqual(rows.map(() => 'created'));
    expect((await repo.history(a)).length + (await repo.history(b)).length).toBe(7);
  });
});
