/** Adding or updating one customer by code, the shared step of `add` and `upsertMany`. */
import { eq, sql } from 'drizzle-orm';
import type { DatabaseHandle } from './database.js';
import { planUpsert, type CustomerInput, type UpsertOutcome } from './plan-upsert.js';
import { customers } from './schema.js';

export type { CustomerInput, UpsertOutcome } from './plan-upsert.js';

/**
 * Prepares the statements of one upsert, for use inside a write transaction. Reading first (rather
 * than INSERT … ON CONFLICT) tells created from updated from restored (`planUpsert`), and leaves
 * unchanged rows untouched so a re-import of the same file writes almost nothing.
 */
export function createCustomerUpserter(handle: DatabaseHandle): (input: CustomerInput, now: number) => UpsertOutcome {
  const { db } = handle;
  const p = sql.placeholder;
  const select = db
    .select({ id: customers.id, name: customers.name, tags: customers.tags, removedAt: customers.removedAt })
    .from(customers)
    .where(eq(customers.uscc, p('uscc')))
    .prepare();
  const insert = db
    .insert(customers)
    .values({ uscc: p('uscc'), name: p('name'), tags: p('tags'), createdAt: p('now'), updatedAt: p('now') })
    .prepare();
  // drizzle types `.set()` without placeholders; wrapped in sql they bind raw, so tags go as JSON text.
  const update = db
    .update(customers)
    .set({ name: sql`${p('name')}`, tags: sql`${p('tagsJson')}`, updatedAt: sql`${p('now')}` })
    .where(eq(customers.id, p('id')))
    .prepare();
  // A restored customer is monitored afresh: unpaused and due at once.
  const restore = db
    .update(customers)
    .set({
      name: sql`${p('name')}`,
      tags: sql`${p('tagsJson')}`,
      updatedAt: sql`${p('now')}`,
      removedAt: null,
      paused: false,
      nextCheckAt: null,
    })
    .where(eq(customers.id, p('id')))
    .prepare();

  return (input, now) => {
    const existing = select.get({ uscc: input.uscc });
    const plan = planUpsert(existing, input);
    if (existing === undefined) {
      insert.run({ uscc: input.uscc, name: input.name, tags: plan.tags, now });
    } else if (plan.outcome !== 'unchanged') {
      (plan.outcome === 'restored' ? restore : update).run({ id: existing.id, name: input.name, tagsJson: JSON.stringify(plan.tags), now });
    }
    return plan.outcome;
  };
}
