/** Trading figures from the ERP (`figures import`): one set per customer and `asOf`, history kept. */
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { TradingFigures } from '../domain/trading-figures.js';
import { sameFigures } from './check-rows.js';
import { inWriteTransaction, type DatabaseHandle } from './database.js';
import { customers, tradingFigures } from './schema.js';
import { storeCall } from './store-error.js';

/** One row to import: a customer's code and its figures for one day. */
export interface FiguresInput {
  uscc: string;
  figures: TradingFigures;
}

/** What the import did with one row; `unknown_customer`: the code is not in the register (or removed). */
export type FiguresUpsertOutcome = 'created' | 'updated' | 'unchanged' | 'unknown_customer';

export interface StoredFigures extends TradingFigures {
  /** Epoch ms of the import that last changed them. */
  importedAt: number;
}

export interface FiguresRepository {
  /**
   * Upserts each row by (customer, asOf): a day already stored is replaced when any figure differs.
   * One transaction per batch of `batchSize` (default 1000). Returns an outcome per row, in order.
   */
  upsertMany(rows: readonly FiguresInput[], importedAt: number, options?: { batchSize?: number }): Promise<FiguresUpsertOutcome[]>;
  /** Every set of the customer's figures, oldest `asOf` first. */
  history(customerId: number): Promise<StoredFigures[]>;
  /** The set with the latest `asOf` (what grading reads), or null. */
  latest(customerId: number): Promise<StoredFigures | null>;
}

const COLUMNS = {
  asOf: tradingFigures.asOf,
  onTimePaymentRate: tradingFigures.onTimePaymentRate,
  fulfilmentRate: tradingFigures.fulfilmentRate,
  overdueAmount: tradingFigures.overdueAmount,
  creditLimit: tradingFigures.creditLimit,
  importedAt: tradingFigures.importedAt,
};

/** Creates the SQLite implementation of {@link FiguresRepository}. */
export function createFiguresRepository(handle: DatabaseHandle): FiguresRepository {
  const { db } = handle;
  const p = sql.placeholder;
  const existing = db
    .select(COLUMNS)
    .from(tradingFigures)
    .where(and(eq(tradingFigures.customerId, p('customerId')), eq(tradingFigures.asOf, p('asOf'))))
    .prepare();

  /** Codes → ids of customers in the register, in chunks (SQLite bounds bound parameters). */
  const idsOf = (usccs: readonly string[]): Map<string, number> => {
    const ids = new Map<string, number>();
    for (let start = 0; start < usccs.length; start += 500) {
      const rows = db
        .select({ id: customers.id, uscc: customers.uscc })
        .from(customers)
        .where(and(inArray(customers.uscc, usccs.slice(start, start + 500)), isNull(customers.removedAt)))
        .all();
      for (const row of rows) ids.set(row.uscc, row.id);
    }
    return ids;
  };

  const upsertOne = (customerId: number, figures: TradingFigures, importedAt: number): FiguresUpsertOutcome => {
    const stored = existing.get({ customerId, asOf: figures.asOf }) ?? null;
    if (stored !== null && sameFigures(stored, figures)) return 'unchanged';
    const values = { ...pickFigures(figures), importedAt };
    db.insert(tradingFigures)
      .values({ customerId, ...values })
      .onConflictDoUpdate({ target: [tradingFigures.customerId, tradingFigures.asOf], set: values })
      .run();
    return stored === null ? 'created' : 'updated';
  };

  return {
    upsertMany: async (rows, importedAt, { batchSize = 1000 } = {}) => {
      const outcomes: FiguresUpsertOutcome[] = [];
      const size = Math.max(1, Math.trunc(batchSize));
      for (let start = 0; start < rows.length; start += size) {
        const batch = rows.slice(start, start + size);
        const written = await storeCall(`cannot import trading figures (rows ${start + 1}-${start + batch.length})`, () =>
          inWriteTransaction(handle, () => {
            const ids = idsOf([...new Set(batch.map((row) => row.uscc))]);
            return batch.map((row) => {
              const id = ids.get(row.uscc);
              return id === undefined ? 'unknown_customer' : upsertOne(id, row.figures, importedAt);
            });
          }),
        );
        outcomes.push(...written);
        // Let timers and I/O run between batches.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      return outcomes;
    },

    history: (customerId) =>
      storeCall(`cannot read the trading figures of customer ${customerId}`, () =>
        db.select(COLUMNS).from(tradingFigures).where(eq(tradingFigures.customerId, customerId)).orderBy(asc(tradingFigures.asOf)).all(),
      ),

    latest: (customerId) =>
      storeCall(`cannot read the trading figures of customer ${customerId}`, () =>
        db.select(COLUMNS).from(tradingFigures).where(eq(tradingFigures.customerId, customerId)).orderBy(desc(tradingFigures.asOf)).limit(1).get() ?? null,
      ),
  };
}

/** The figures alone, field by field (a caller's object may carry more). */
export function pickFigures(figures: TradingFigures): TradingFigures {
  const { asOf, onTimePaymentRate, fulfilmentRate, overdueAmount, creditLimit } = figures;
  return { asOf, onTimePaymentRate, fulfilmentRate, overdueAmount, creditLimit };
}
