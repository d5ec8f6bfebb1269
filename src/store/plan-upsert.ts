/** What adding or updating one customer by code does, decided from the row already stored (both dialects). */

export interface CustomerInput {
  /** Already validated and normalised (`parseUscc`). */
  uscc: string;
  name: string;
  /** Replaces the customer's tags. Absent or null keeps the existing tags (a new customer gets none). */
  tags?: readonly string[] | null;
}

/** What an upsert did: `restored` = the customer had been removed and is monitored again. */
export type UpsertOutcome = 'created' | 'updated' | 'restored' | 'unchanged';

/** The stored customer an upsert compares against. */
export interface StoredCustomerFields {
  name: string;
  tags: readonly string[];
  /** Epoch ms; set while removed. */
  removedAt: number | null;
}

export interface UpsertPlan {
  outcome: UpsertOutcome;
  /** The tags to write (for `created`, `updated` and `restored`). */
  tags: string[];
}

/**
 * Decides an upsert: created when nothing is stored, restored when the stored customer was removed,
 * unchanged when name and tags already match (so a re-import writes almost nothing), else updated.
 */
export function planUpsert(existing: StoredCustomerFields | undefined, input: CustomerInput): UpsertPlan {
  if (existing === undefined) return { outcome: 'created', tags: [...(input.tags ?? [])] };
  const tags = input.tags === undefined || input.tags === null ? [...existing.tags] : [...input.tags];
  if (existing.removedAt !== null) return { outcome: 'restored', tags };
  if (existing.name === input.name && sameTags(existing.tags, tags)) return { outcome: 'unchanged', tags };
  return { outcome: 'updated', tags };
}

function sameTags(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((tag, i) => tag === b[i]);
}
