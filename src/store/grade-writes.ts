/**
 * The grade part of a check's (or a figures import's) transaction on SQLite: whether the grade it
 * decided is still current, and writing it with its history row.
 */
import { and, desc, eq, ne, or, sql } from 'drizzle-orm';
import type { GradeWrite } from '../app/ports.js';
import type { TradingFigures } from '../domain/trading-figures.js';
import { sameFigures } from './check-rows.js';
import type { DatabaseHandle } from './database.js';
import { customers, gradeHistory, tradingFigures } from './schema.js';

export interface GradeWrites {
  /** The customer's figures with the latest asOf, or null. */
  latestFigures(customerId: number): TradingFigures | null;
  /** The stored grade is still `previous` and the latest figures are still those it was decided from. */
  isCurrent(customerId: number, grade: GradeWrite): boolean;
  /** Sets the grade where it or its rule differs and, when the grade changed, appends its history row; the caller holds the transaction. */
  write(customerId: number, grade: GradeWrite, at: number): void;
}

export function createGradeWrites(handle: DatabaseHandle): GradeWrites {
  const { db } = handle;
  const customerId = sql.placeholder('customerId');
  const latest = db
    .select({
      asOf: tradingFigures.asOf,
      onTimePaymentRate: tradingFigures.onTimePaymentRate,
      fulfilmentRate: tradingFigures.fulfilmentRate,
      overdueAmount: tradingFigures.overdueAmount,
      creditLimit: tradingFigures.creditLimit,
    })
    .from(tradingFigures)
    .where(eq(tradingFigures.customerId, customerId))
    .orderBy(desc(tradingFigures.asOf))
    .limit(1)
    .prepare();
  const storedGrade = db.select({ grade: customers.grade }).from(customers).where(eq(customers.id, customerId)).prepare();

  const latestFigures = (id: number): TradingFigures | null => latest.get({ customerId: id }) ?? null;

  return {
    latestFigures,
    isCurrent: (id, grade) => storedGrade.get({ customerId: id })?.grade === grade.previous && sameFigures(latestFigures(id), grade.figures),
    write: (id, grade, at) => {
      db.update(customers)
        .set({ grade: grade.grade, gradeRule: grade.rule, gradedAt: at })
        .where(and(eq(customers.id, id), or(ne(customers.grade, grade.grade), sql`${customers.gradeRule} IS NOT ${grade.rule}`)))
        .run();
      if (grade.grade !== grade.previous) {
        db.insert(gradeHistory).values({ customerId: id, at, grade: grade.grade, previousGrade: grade.previous, rule: grade.rule }).run();
      }
    },
  };
}
