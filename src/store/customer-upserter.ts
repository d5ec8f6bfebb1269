/** Adding or updating one customer by code, the shared step of `add` and `upsertMany`. */
import { eq, sql } from 'drizzle-orm';
import type { DatabaseHandle } from './database.js';
import { customers } from './schema.js';

export interface CustomerInput {
  /** Already validated and normalised (`parseUscc`). */
  uscc: string;
  name: string;
  /** Replaces the customer's tags. Absent or null keeps the existing tags (a new customer gets none). */
  tags?: readonly string[] | null;
}

/** What an upsert did: `restored` = the customer had been removed and is monitored again. */
export type UpsertOutcome = 'created' | 'updated' | 'restored' | 'unchanged';

/**
 * Prepares the statements of one upsert, for use inside a write transaction. Reading first (rather
 * than INSERT … ON CONFLICT) tells created from updated from restored, and leaves unchanged rows
 * untouched so a re-import of the same file writes almost nothing.
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
    if (existing === undefined) {
      insert.run({ uscc: input.uscc, name: input.name, tags: [...(input.tags ?? [])], now });
      return 'created';
    }
    const tags = input.tags === undefined || input.tags === null ? existing.tags : [...input.tags];
    const values = { id: existing.id, name: input.name, tagsJson: JSON.stringify(tags), now };
    if (existing.removedAt !== null) {
      restore.run(values);
      return 'restored';
    }
    if (existing.name === input.name && sameTags(existing.tags, tags)) return 'unchanged';
    update.run(values);
    return 'updated';
  };
}

function sameTags(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((tag, i) => tag === b[i]);
}
