/**
 * The grade part of a check's (or a figures import's) transaction on PostgreSQL, set-based: whether a
 * decided grade is still current, and writing grades with their history rows.
 */
import { asc, desc, eq, sql } from 'drizzle-orm';
import type { CheckRecorded, GradeWrite, RecordGradeInput } from '../../app/ports.js';
import type { Grade } from '../../domain/grades.js';
import type { TradingFigures } from '../../domain/trading-figures.js';
import { AppError } from '../../errors.js';
import { sameFigures } from '../check-rows.js';
import { customers, gradeHistory, snapshots, tradingFigures } from '../schema.pg.js';
import { chunked } from './chunked.js';
import type { PgExecutor } from './database.js';
import { onlyNew } from '../check-rows.js';
import { lockUnresolvedCases, writeCaseIntakes } from './write-case-intakes.js';
import { insertDeliveries, insertEvents, ROWS_PER_STATEMENT } from './write-outbox.js';

/** The latest figures (by asOf) of each customer that has any, by customer id. */
export async function latestFiguresOf(tx: PgExecutor, ids: readonly number[]): Promise<Map<number, TradingFigures>> {
  const result = await tx.execute<{
    customer_id: number;
    as_of: string;
    on_time_payment_rate: number;
    fulfilment_rate: number;
    overdue_amount: number | null;
    credit_limit: number | null;
  }>(sql`
    SELECT DISTINCT ON (customer_id) customer_id, as_of, on_time_payment_rate, fulfilment_rate, overdue_amount, credit_limit
    FROM ${tradingFigures} WHERE customer_id = any(${sql.param([...ids])}::int[])
    ORDER BY customer_id, as_of DESC`);
  return new Map(
    result.rows.map((row) => [
      row.customer_id,
      {
        asOf: row.as_of,
        onTimePaymentRate: row.on_time_payment_rate,
        fulfilmentRate: row.fulfilment_rate,
        overdueAmount: row.overdue_amount,
        creditLimit: row.credit_limit,
      },
    ]),
  );
}

/** The stored grade is still `previous` and the latest figures are still those it was decided from. */
export function gradeIsCurrent(grade: GradeWrite, stored: Grade | undefined, latest: TradingFigures | undefined): boolean {
  return stored === grade.previous && sameFigures(latest ?? null, grade.figures);
}

/**
 * Sets each customer's grade where it or its rule differs (one UPDATE … FROM (VALUES …) per chunk),
 * and appends a history row for each grade that changed.
 */
export async function writeGrades(tx: PgExecutor, rows: ReadonlyArray<{ customerId: number; grade: GradeWrite; at: number }>): Promise<void> {
  for (const chunk of chunked(rows, ROWS_PER_STATEMENT)) {
    const values = sql.join(
      chunk.map(({ customerId, grade, at }) => sql`(${customerId}::int, ${grade.grade}::text, ${grade.rule}::text, ${at}::bigint)`),
      sql`, `,
    );
    await tx.execute(sql`
      UPDATE ${customers} SET grade = v.grade, grade_rule = v.rule, graded_at = v.at
      FROM (VALUES ${values}) AS v(id, grade, rule, at)
      WHERE ${customers.id} = v.id AND (${customers.grade}, ${customers.gradeRule}) IS DISTINCT FROM (v.grade, v.rule)`);
  }
  const changes = rows.filter(({ grade }) => grade.grade !== grade.previous);
  for (const chunk of chunked(changes, ROWS_PER_STATEMENT)) {
    await tx.insert(gradeHistory).values(
      chunk.map(({ customerId, grade, at }) => ({ customerId, at, grade: grade.grade, previousGrade: grade.previous, rule: grade.rule })),
    );
  }
}

/**
 * `CheckStore.recordGrade` in the caller's transaction. The customer's row is locked first, as a
 * check locks it (writeChecks), so a check of the same customer and this either wait for each other
 * or one of them finds itself stale.
 */
export async function writeGrade(tx: PgExecutor, input: RecordGradeInput): Promise<CheckRecorded | AppError> {
  const [customer] = await tx
    .select({ uscc: customers.uscc, name: customers.name, tags: customers.tags, grade: customers.grade })
    .from(customers)
    .where(eq(customers.id, input.customerId))
    .orderBy(asc(customers.id))
    .for('no key update');
  if (customer === undefined) return new AppError('NOT_FOUND', `customer ${input.customerId} does not exist`);
  const [latest] = await tx
    .select({ id: snapshots.id })
    .from(snapshots)
    .where(eq(snapshots.customerId, input.customerId))
    .orderBy(desc(snapshots.id))
    .limit(1);
  const figures = await latestFiguresOf(tx, [input.customerId]);
  if (latest?.id !== input.basedOnSnapshotId || !gradeIsCurrent(input.grade, customer.grade, figures.get(input.customerId))) {
    return { newEventIds: [], stale: true };
  }
  const frozen = { uscc: customer.uscc, name: customer.name, tags: customer.tags };
  // After the customer's row, as a check locks them.
  const unresolved = input.caseIntake === undefined ? undefined : await lockUnresolvedCases(tx, [input.customerId]);
  const inserted = await insertEvents(tx, input.events.map((event) => ({ event, snapshotId: input.basedOnSnapshotId, customer: frozen })));
  const newEventIds = input.events.filter((event) => inserted.has(event.id)).map((event) => event.id);
  await insertDeliveries(tx, onlyNew(input.deliveries, input.events, newEventIds).map((draft) => ({ draft, at: input.gradedAt })));
  await writeGrades(tx, [{ customerId: input.customerId, grade: input.grade, at: input.gradedAt }]);
  if (input.caseIntake === undefined || unresolved === undefined) return { newEventIds, stale: false };
  const [joined] = await writeCaseIntakes(
    tx,
    [{ customerId: input.customerId, intake: input.caseIntake, events: input.events, newEventIds, at: input.gradedAt, customer: frozen }],
    unresolved,
  );
  return joined === undefined ? { newEventIds, stale: false } : { newEventIds, stale: false, ...joined };
}
