/** Trading figures on PostgreSQL: the same interface and behaviour as the SQLite repository. */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { FiguresRepository, FiguresUpsertOutcome } from '../figures-repository.js';
import { pickFigures } from '../figures-repository.js';
import { customers, tradingFigures } from '../schema.pg.js';
import { anyOf } from './any-of.js';
import { notRemoved } from './customer-conditions.js';
import { inPgTransaction, type PgExecutor, type PgHandle } from './database.js';
import { pgCall } from './pg-error.js';

const COLUMNS = {
  asOf: tradingFigures.asOf,
  onTimePaymentRate: tradingFigures.onTimePaymentRate,
  fulfilmentRate: tradingFigures.fulfilmentRate,
  overdueAmount: tradingFigures.overdueAmount,
  creditLimit: tradingFigures.creditLimit,
  importedAt: tradingFigures.importedAt,
};

type Row = Parameters<FiguresRepository['upsertMany']>[0][number];

export function createPgFiguresRepository(handle: PgHandle): FiguresRepository {
  const { db } = handle;
  return {
    upsertMany: async (rows, importedAt, { batchSize = 1000 } = {}) => {
      const outcomes: FiguresUpsertOutcome[] = [];
      const size = Math.max(1, Math.trunc(batchSize));
      for (let start = 0; start < rows.length; start += size) {
        const batch = rows.slice(start, start + size);
        const written = await pgCall(`cannot import trading figures (rows ${start + 1}-${start + batch.length})`, () =>
          inPgTransaction(handle, (tx) => upsertBatch(tx, batch, importedAt)),
        );
        outcomes.push(...written);
      }
      return outcomes;
    },

    history: (customerId) =>
      pgCall(`cannot read the trading figures of customer ${customerId}`, () =>
        db.select(COLUMNS).from(tradingFigures).where(eq(tradingFigures.customerId, customerId)).orderBy(asc(tradingFigures.asOf)),
      ),

    latest: (customerId) =>
      pgCall(`cannot read the trading figures of customer ${customerId}`, async () => {
        const [row] = await db.select(COLUMNS).from(tradingFigures).where(eq(tradingFigures.customerId, customerId)).orderBy(desc(tradingFigures.asOf)).limit(1);
        return row ?? null;
      }),
  };
}

/**
 * One INSERT … ON CONFLICT DO UPDATE for the batch, updating only rows whose figures differ; what
 * it returns tells created (`xmax = 0`) from updated, and a row not returned was unchanged. Rows go
 * in key order, so that two imports at once lock in the same order. A (customer, asOf) given twice
 * is written once, the last row winning, and each of its rows reports that outcome.
 */
async function upsertBatch(tx: PgExecutor, batch: readonly Row[], importedAt: number): Promise<FiguresUpsertOutcome[]> {
  const usccs = [...new Set(batch.map((row) => row.uscc))];
  const found = await tx.select({ id: customers.id, uscc: customers.uscc }).from(customers).where(and(anyOf(customers.uscc, usccs, 'text'), notRemoved));
  const ids = new Map(found.map((row) => [row.uscc, row.id]));
  const byKey = new Map<string, { customerId: number; row: Row }>();
  for (const row of batch) {
    const customerId = ids.get(row.uscc);
    if (customerId !== undefined) byKey.set(key(customerId, row.figures.asOf), { customerId, row });
  }
  const values = [...byKey.values()]
    .sort((a, b) => a.customerId - b.customerId || (a.row.figures.asOf < b.row.figures.asOf ? -1 : 1))
    .map(({ customerId, row }) => ({ customerId, ...pickFigures(row.figures), importedAt }));
  const changed = new Map<string, FiguresUpsertOutcome>();
  if (values.length > 0) {
    const returned = await tx
      .insert(tradingFigures)
      .values(values)
      .onConflictDoUpdate({
        target: [tradingFigures.customerId, tradingFigures.asOf],
        set: {
          onTimePaymentRate: sql`excluded.on_time_payment_rate`,
          fulfilmentRate: sql`excluded.fulfilment_rate`,
          overdueAmount: sql`excluded.overdue_amount`,
          creditLimit: sql`excluded.credit_limit`,
          importedAt: sql`excluded.imported_at`,
        },
        setWhere: sql`(${tradingFigures.onTimePaymentRate}, ${tradingFigures.fulfilmentRate}, ${tradingFigures.overdueAmount}, ${tradingFigures.creditLimit})
          IS DISTINCT FROM (excluded.on_time_payment_rate, excluded.fulfilment_rate, excluded.overdue_amount, excluded.credit_limit)`,
      })
      .returning({ customerId: tradingFigures.customerId, asOf: tradingFigures.asOf, inserted: sql<boolean>`(xmax = 0)` });
    for (const row of returned) changed.set(key(row.customerId, row.asOf), row.inserted ? 'created' : 'updated');
  }
  return batch.map((row) => {
    const customerId = ids.get(row.uscc);
    if (customerId === undefined) return 'unknown_customer';
    return changed.get(key(customerId, row.figures.asOf)) ?? 'unchanged';
  });
}

function key(customerId: number, asOf: string): string {
  return `${customerId}|${asOf}`;
}
