/**
 * Upserting a batch of customers by code on PostgreSQL, the shared step of `add` and `upsertMany`:
 * a few set-based statements per batch, whatever its size, and safe against another import of the
 * same codes running at the same time on another connection or host.
 */
import { asc, sql } from 'drizzle-orm';
import { planUpsert, type CustomerInput, type UpsertOutcome } from '../plan-upsert.js';
import { customers } from '../schema.pg.js';
import type { PgExecutor } from './database.js';
import { anyOf } from './any-of.js';

interface Change {
  id: number;
  name: string;
  tags: string[];
  /** The customer was removed: monitor it afresh (unpaused, due at once). */
  restore: boolean;
}

// A code inserted by a concurrent import is found by the next round; a third round never has work.
const MAX_ROUNDS = 3;

/**
 * Upserts `batch` inside the caller's transaction `tx`; returns each row's outcome, in order. Rows
 * that repeat a code are applied after the earlier ones (as one after the other would be).
 */
export async function upsertCustomerBatch(tx: PgExecutor, batch: readonly CustomerInput[], now: number): Promise<UpsertOutcome[]> {
  const outcomes: UpsertOutcome[] = [];
  for (const run of runsOfDistinctCodes(batch)) outcomes.push(...(await upsertDistinct(tx, run, now)));
  return outcomes;
}

/**
 * Rows that read as unchanged are left alone, unlocked (a re-import writes nothing). Rows to change
 * are locked (in id order, as every writer of several customer rows locks them, the check store
 * included, so they do not deadlock) and decided again from what the lock returns, the latest
 * committed version. A new code is inserted
 * with ON CONFLICT DO NOTHING: when a concurrent import inserted it first, the insert waits for that
 * transaction and skips the row, and the next round updates the now committed row instead.
 */
async function upsertDistinct(tx: PgExecutor, rows: readonly CustomerInput[], now: number): Promise<UpsertOutcome[]> {
  const outcomes = new Map<string, UpsertOutcome>();
  let todo = rows;
  for (let round = 1; todo.length > 0; round++) {
    if (round > MAX_ROUNDS) throw new Error(`${todo.length} customers (${todo[0]?.uscc ?? ''}, …) neither inserted nor found`);
    const seen = await readStored(tx, todo, false);
    const toChange = todo.filter((row) => {
      const existing = seen.get(row.uscc);
      return existing !== undefined && planUpsert(existing, row).outcome !== 'unchanged';
    });
    const stored = toChange.length === 0 ? seen : new Map([...seen, ...(await readStored(tx, toChange, true))]);
    const changes: Change[] = [];
    const creates: Array<{ row: CustomerInput; tags: string[] }> = [];
    for (const row of todo) {
      const existing = stored.get(row.uscc);
      const plan = planUpsert(existing, row);
      if (existing === undefined) {
        creates.push({ row, tags: plan.tags });
        continue;
      }
      outcomes.set(row.uscc, plan.outcome);
      if (plan.outcome !== 'unchanged') changes.push({ id: existing.id, name: row.name, tags: plan.tags, restore: plan.outcome === 'restored' });
    }
    await applyChanges(tx, changes, now);
    const inserted = await insertNew(tx, creates, now);
    for (const code of inserted) outcomes.set(code, 'created');
    todo = creates.map(({ row }) => row).filter((row) => !inserted.has(row.uscc));
  }
  return rows.map((row) => outcomes.get(row.uscc) ?? 'unchanged');
}

/** The stored customers with these rows' codes, by code; with `lock`, locked until commit. */
async function readStored(tx: PgExecutor, rows: readonly CustomerInput[], lock: boolean) {
  const query = tx
    .select({ id: customers.id, uscc: customers.uscc, name: customers.name, tags: customers.tags, removedAt: customers.removedAt })
    .from(customers)
    .where(anyOf(customers.uscc, rows.map((row) => row.uscc), 'text'))
    .orderBy(asc(customers.id));
  // NO KEY UPDATE, like the UPDATE that follows: it does not block a check inserting events that
  // reference the customer (their foreign key takes KEY SHARE).
  const found = lock ? await query.for('no key update') : await query;
  return new Map(found.map((row) => [row.uscc, row]));
}

async function applyChanges(tx: PgExecutor, changes: readonly Change[], now: number): Promise<void> {
  if (changes.length === 0) return;
  await tx.execute(sql`
    update customers as c set
      name = v.name,
      tags = v.tags,
      updated_at = ${now},
      removed_at = case when v.restore then null else c.removed_at end,
      paused = c.paused and not v.restore,
      next_check_at = case when v.restore then null else c.next_check_at end
    from jsonb_to_recordset(${JSON.stringify(changes)}::jsonb) as v(id integer, name text, tags jsonb, restore boolean)
    where c.id = v.id`);
}

/**
 * Inserts in code order (byte order, whatever the database's collation), so two imports of the same
 * new codes meet on the first one they share; returns the codes this call inserted (not those a
 * concurrent import did).
 */
async function insertNew(tx: PgExecutor, creates: ReadonlyArray<{ row: CustomerInput; tags: string[] }>, now: number): Promise<Set<string>> {
  if (creates.length === 0) return new Set();
  const values = creates.map(({ row, tags }) => ({ uscc: row.uscc, name: row.name, tags }));
  // One JSON parameter rather than three per row: a 1000-row batch stays one short statement.
  const inserted = await tx.execute<{ uscc: string }>(sql`
    insert into customers (uscc, name, tags, created_at, updated_at)
    select v.uscc, v.name, v.tags, ${now}, ${now}
    from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as v(uscc text, name text, tags jsonb)
    order by v.uscc collate "C"
    on conflict (uscc) do nothing
    returning uscc`);
  return new Set(inserted.rows.map((row) => row.uscc));
}

/** Splits rows into consecutive runs in which no code repeats. */
function runsOfDistinctCodes(rows: readonly CustomerInput[]): CustomerInput[][] {
  const runs: CustomerInput[][] = [];
  let run: CustomerInput[] = [];
  let codes = new Set<string>();
  for (const row of rows) {
    if (codes.has(row.uscc)) {
      runs.push(run);
      run = [];
      codes = new Set();
    }
    run.push(row);
    codes.add(row.uscc);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}
