/**
 * Writes a batch of checks' outcomes inside one PostgreSQL transaction, set-based: one statement per
 * table for the whole batch, not one per check, so a batch costs a handful of round trips.
 */
import { asc, sql } from 'drizzle-orm';
import type { CheckRecorded, RecordCheckInput } from '../../app/ports.js';
import type { Grade } from '../../domain/grades.js';
import type { TradingFigures } from '../../domain/trading-figures.js';
import { AppError } from '../../errors.js';
import { onlyNew, sameSnapshot, storedSectionMethods, type SnapshotKey } from '../check-rows.js';
import { customers, snapshots } from '../schema.pg.js';
import { anyOf } from './any-of.js';
import { chunked } from './chunked.js';
import type { PgExecutor } from './database.js';
import { lockUnresolvedCases, writeCaseIntakes, type UnresolvedCases } from './write-case-intakes.js';
import { gradeIsCurrent, latestFiguresOf, writeGrades } from './write-grades.js';
import { insertDeliveries, insertEvents, ROWS_PER_STATEMENT, type FrozenCustomer } from './write-outbox.js';

/** What `recordCheck` answers for one check. */
export type CheckWritten = CheckRecorded;

/** What the locks read of each customer: its frozen copy for events, and its grade as it stands. */
interface Locked {
  frozen: ReadonlyMap<number, FrozenCustomer>;
  /** Updated round by round, so a second check of one customer is judged against the first's grade. */
  grades: Map<number, Grade>;
  /** Latest figures of the customers whose check decided a grade. */
  figures: ReadonlyMap<number, TradingFigures>;
  /** The cases not yet resolved of the customers whose check has a case intake; updated as rounds open cases. */
  cases: UnresolvedCases;
}

/**
 * Records each check as `CheckStore.recordCheck` describes, in order, in the caller's transaction:
 * a check of a customer that is missing comes back as an AppError `NOT_FOUND` (nothing of it
 * written, the others are); any database error throws (the caller rolls back).
 *
 * Per-customer serialisation across hosts: the customers' rows are locked before their latest
 * snapshots are read, in a later statement, which in READ COMMITTED sees whatever the previous
 * holder of a lock committed. So two checks of one customer based on the same snapshot cannot both
 * pass the staleness check. The lock is FOR NO KEY UPDATE (the one the UPDATE below takes anyway):
 * it excludes another check or an import of the customer, but not a transaction inserting rows that
 * reference it (a foreign key takes KEY SHARE). Rows are locked in id order, as imports and the
 * sweep's marks lock them, so none of them can deadlock with another. The cases of customers whose
 * checks bring a case intake are locked after (see lockUnresolvedCases); a transaction that locks a
 * case first (acknowledge, resolve, overdue) never waits for a customer row after it.
 */
export async function writeChecks(tx: PgExecutor, inputs: readonly RecordCheckInput[]): Promise<Array<CheckWritten | AppError>> {
  const ids = [...new Set(inputs.map((input) => input.customerId))];
  const rows = await tx
    .select({ id: customers.id, uscc: customers.uscc, name: customers.name, tags: customers.tags, grade: customers.grade })
    .from(customers)
    .where(anyOf(customers.id, ids, 'integer'))
    .orderBy(asc(customers.id))
    .for('no key update');
  const graded = [...new Set(inputs.flatMap((input) => (input.grade === undefined ? [] : [input.customerId])))];
  const withIntake = [...new Set(inputs.flatMap((input) => (input.caseIntake === undefined ? [] : [input.customerId])))];
  const locked: Locked = {
    frozen: new Map(rows.map(({ id, uscc, name, tags }) => [id, { uscc, name, tags }])),
    grades: new Map(rows.map(({ id, grade }) => [id, grade])),
    // Read after the locks: a figures import's re-grade of these customers waits for this transaction.
    figures: graded.length === 0 ? new Map() : await latestFiguresOf(tx, graded),
    cases: await lockUnresolvedCases(tx, withIntake),
  };
  const latest = await latestSnapshotKeys(tx, ids);
  const results: Array<CheckWritten | AppError> = [];
  // A batch holding two checks of one customer writes them in rounds, so the second is judged
  // against what the first wrote, as if they had been recorded one after the other.
  for (const round of rounds(inputs)) {
    const written = await writeRound(tx, round.map((entry) => entry.input), locked, latest);
    round.forEach((entry, k) => {
      const result = written[k];
      if (result !== undefined) results[entry.index] = result;
    });
  }
  return results;
}

async function writeRound(
  tx: PgExecutor,
  inputs: readonly RecordCheckInput[],
  locked: Locked,
  latest: Map<number, SnapshotKey>,
): Promise<Array<CheckWritten | AppError>> {
  const results: Array<CheckWritten | AppError> = [];
  const live: Array<{ input: RecordCheckInput; result: CheckWritten }> = [];
  const { frozen, grades, figures } = locked;
  const gradeStale = (input: RecordCheckInput): boolean =>
    input.grade !== undefined && !gradeIsCurrent(input.grade, grades.get(input.customerId), figures.get(input.customerId));
  for (const input of inputs) {
    if ((latest.get(input.customerId)?.id ?? null) !== input.basedOnSnapshotId || gradeStale(input)) results.push({ newEventIds: [], stale: true });
    else if (!frozen.has(input.customerId)) results.push(new AppError('NOT_FOUND', `customer ${input.customerId} does not exist`));
    else {
      const result: CheckWritten = { newEventIds: [], stale: false };
      results.push(result);
      live.push({ input, result });
    }
  }
  if (live.length === 0) return results;
  const checks = live.map((entry) => entry.input);
  await insertSnapshots(tx, checks, latest);
  const inserted = await insertEvents(
    tx,
    checks.flatMap((input) =>
      input.events.map((event) => ({ event, snapshotId: latest.get(input.customerId)?.id ?? null, customer: frozen.get(input.customerId) })),
    ),
  );
  // Outbox rows only for events this round inserted (see onlyNew).
  await insertDeliveries(tx, checks.flatMap((input) =>
    onlyNew(input.deliveries, input.events, input.events.filter((event) => inserted.has(event.id)).map((event) => event.id)).map((draft) => ({ draft, at: input.checkedAt }))));
  await updateCustomers(tx, checks);
  const gradeWrites = checks.flatMap((input) => (input.grade === undefined ? [] : [{ customerId: input.customerId, grade: input.grade, at: input.checkedAt }]));
  await writeGrades(tx, gradeWrites);
  for (const { customerId, grade } of gradeWrites) grades.set(customerId, grade.grade);
  // An event id new in this round is credited to the first check that carries it.
  for (const { input, result } of live) {
    for (const event of input.events) {
      if (inserted.delete(event.id)) result.newEventIds.push(event.id);
    }
  }
  const intakes = live.flatMap(({ input, result }) => (input.caseIntake === undefined ? [] : [{ input, intake: input.caseIntake, result }]));
  if (intakes.length > 0) {
    const joined = await writeCaseIntakes(
      tx,
      intakes.map(({ input, intake, result }) => ({
        customerId: input.customerId,
        intake,
        events: input.events,
        newEventIds: result.newEventIds,
        at: input.checkedAt,
        customer: frozen.get(input.customerId),
      })),
      locked.cases,
    );
    intakes.forEach(({ result }, k) => {
      const kase = joined[k];
      if (kase !== undefined) Object.assign(result, kase);
    });
  }
  return results;
}

/** The latest snapshot of each customer (one index probe each), by customer id. */
async function latestSnapshotKeys(tx: PgExecutor, ids: readonly number[]): Promise<Map<number, SnapshotKey>> {
  const result = await tx.execute<{
    customer_id: number;
    id: number;
    hash: string;
    provider: string;
    provider_version: string;
    normaliser_version: number;
    section_methods: SnapshotKey['sectionMethods'];
  }>(sql`
    SELECT c.id AS customer_id, s.id, s.hash, s.provider, s.provider_version, s.normaliser_version, s.section_methods
    FROM unnest(${sql.param(ids)}::int[]) AS c(id)
    CROSS JOIN LATERAL (
      SELECT * FROM ${snapshots} WHERE ${snapshots.customerId} = c.id ORDER BY ${snapshots.id} DESC LIMIT 1
    ) AS s`);
  return new Map(
    result.rows.map((row) => [
      row.customer_id,
      {
        id: row.id,
        hash: row.hash,
        provider: row.provider,
        providerVersion: row.provider_version,
        normaliserVersion: row.normaliser_version,
        sectionMethods: row.section_methods,
      },
    ]),
  );
}

/** Inserts the snapshots that changed (the same snapshot again is not a change) and makes them the latest. */
async function insertSnapshots(tx: PgExecutor, inputs: readonly RecordCheckInput[], latest: Map<number, SnapshotKey>): Promise<void> {
  const changed = inputs.flatMap((input) => {
    const previous = latest.get(input.customerId);
    const snapshot = input.snapshot;
    return snapshot === undefined || (previous !== undefined && sameSnapshot(previous, snapshot)) ? [] : [{ input, snapshot }];
  });
  for (const chunk of chunked(changed, ROWS_PER_STATEMENT)) {
    const rows = await tx
      .insert(snapshots)
      .values(
        chunk.map(({ input, snapshot }) => ({
          customerId: input.customerId,
          takenAt: input.checkedAt,
          hash: snapshot.hash,
          provider: snapshot.method.provider,
          providerVersion: snapshot.method.providerVersion,
          normaliserVersion: snapshot.method.normaliserVersion,
          sectionMethods: storedSectionMethods(snapshot.sectionMethods),
          body: snapshot.body,
        })),
      )
      .returning({ id: snapshots.id, customerId: snapshots.customerId });
    // A round holds one check per customer, so the customer names its new snapshot.
    const byCustomer = new Map(chunk.map(({ input, snapshot }) => [input.customerId, snapshot]));
    for (const { id, customerId } of rows) {
      const snapshot = byCustomer.get(customerId);
      if (snapshot !== undefined) latest.set(customerId, {
        id,
        hash: snapshot.hash,
        provider: snapshot.method.provider,
        providerVersion: snapshot.method.providerVersion,
        normaliserVersion: snapshot.method.normaliserVersion,
        sectionMethods: storedSectionMethods(snapshot.sectionMethods),
      });
    }
  }
}

/** The check bookkeeping of every customer in the round, in one UPDATE … FROM (VALUES …). */
async function updateCustomers(tx: PgExecutor, inputs: readonly RecordCheckInput[]): Promise<void> {
  for (const chunk of chunked(inputs, ROWS_PER_STATEMENT)) {
    const values = sql.join(
      chunk.map(
        (input) =>
          sql`(${input.customerId}::int, ${input.checkedAt}::bigint, ${input.nextCheckAt}::bigint, ${input.consecutiveFailures}::int, ${input.lastError}::text, ${input.degraded}::boolean)`,
      ),
      sql`, `,
    );
    await tx.execute(sql`
      UPDATE ${customers} SET last_checked_at = v.checked_at, next_check_at = v.next_check_at,
        consecutive_failures = v.failures, last_error = v.last_error, degraded = v.degraded, queued_at = NULL
      FROM (VALUES ${values}) AS v(id, checked_at, next_check_at, failures, last_error, degraded)
      WHERE ${customers.id} = v.id`);
  }
}

/** `inputs` (with their indexes) in rounds: each round holds at most one check per customer, in batch order. */
function rounds(inputs: readonly RecordCheckInput[]): Array<Array<{ index: number; input: RecordCheckInput }>> {
  const result: Array<Array<{ index: number; input: RecordCheckInput }>> = [];
  const seen = new Map<number, number>();
  inputs.forEach((input, index) => {
    const round = seen.get(input.customerId) ?? 0;
    seen.set(input.customerId, round + 1);
    (result[round] ??= []).push({ index, input });
  });
  return result;
}
