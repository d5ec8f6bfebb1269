/** Which customers a query means, shared by the PostgreSQL repositories that read the register. */
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { customers } from '../schema.pg.js';

/** Still in the register. */
export const notRemoved: SQL = isNull(customers.removedAt);

/** Checked on schedule and by fan-out re-scans: not removed, not paused. */
export const monitored: SQL = and(notRemoved, eq(customers.paused, false)) ?? notRemoved;

/** Tagged `tag` (the GIN index on tags serves `?`). */
export function hasTag(tag: string): SQL {
  return sql`${customers.tags} ? ${tag}`;
}
