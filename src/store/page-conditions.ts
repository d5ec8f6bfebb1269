/** The conditions of the paged customers and events lists, the same on both dialects' tables. */
import { and, eq, gt, gte, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { CustomerPageFilter, EventPageFilter } from '../app/page-ports.js';
import { normaliseUsccInput } from '../domain/uscc.js';
import type { EventCursor } from './page-cursor.js';
import type { customers as pgCustomers, events as pgEvents } from './schema.pg.js';
import type { customers as sqliteCustomers, events as sqliteEvents } from './schema.js';

type CustomersTable = typeof sqliteCustomers | typeof pgCustomers;
type EventsTable = typeof sqliteEvents | typeof pgEvents;

export interface PageTables {
  customers: CustomersTable;
  events: EventsTable;
}

export interface CustomerPageTables extends PageTables {
  /** Tagged `tag`: each dialect reads its JSON its own way. */
  hasTag: (tag: string) => SQL;
}

/** The customers `filter` matches (its cursor aside); removed ones only with state `removed`. */
export function customerPageConditions({ customers: c, events: e, hasTag }: CustomerPageTables, filter: CustomerPageFilter): SQL | undefined {
  const { grade, tier, tag, state, search } = filter;
  const term = search?.trim() ?? '';
  return and(
    inState(c, state),
    grade === undefined ? undefined : eq(c.grade, grade),
    tag === undefined ? undefined : hasTag(tag),
    // IN, not EXISTS: SQLite runs a correlated EXISTS once per customer of the register, where IN
    // reads the tier's unacknowledged events once, from their partial index.
    tier === undefined
      ? undefined
      : sql`${c.id} in (select ${e.customerId} from ${e} where ${e.tier} = ${tier} and ${isNull(e.acknowledgedAt)})`,
    term === '' ? undefined : matching(c, term),
  );
}

function inState(c: CustomersTable, state: CustomerPageFilter['state']): SQL {
  const notRemoved = isNull(c.removedAt);
  switch (state) {
    case undefined:
      return notRemoved;
    case 'monitored':
      return and(notRemoved, eq(c.paused, false)) ?? notRemoved;
    case 'paused':
      return and(notRemoved, eq(c.paused, true)) ?? notRemoved;
    case 'failing':
      return and(notRemoved, gt(c.consecutiveFailures, 0)) ?? notRemoved;
    case 'removed':
      return isNotNull(c.removedAt);
  }
}

/**
 * A code starting with `term` (codes are stored normalised: upper case, half-width) or a name
 * containing it, in any case. lower() on both sides of the name's LIKE: PostgreSQL's LIKE heeds case.
 */
function matching(c: CustomersTable, term: string): SQL | undefined {
  const codePrefix = `${escapeLike(normaliseUsccInput(term))}%`;
  const namePart = `%${escapeLike(term)}%`;
  return or(sql`${c.uscc} like ${codePrefix} escape '\\'`, sql`lower(${c.name}) like lower(${namePart}) escape '\\'`);
}

/** The events `filter` matches (its cursor aside). */
export function eventPageConditions({ customers: c, events: e }: PageTables, filter: EventPageFilter): SQL | undefined {
  const { tier, acknowledged, uscc, since } = filter;
  return and(
    tier === undefined ? undefined : eq(e.tier, tier),
    acknowledged === undefined ? undefined : acknowledged ? isNotNull(e.acknowledgedAt) : isNull(e.acknowledgedAt),
    // A scalar subquery rather than a join, so the count needs no join and the customer's index serves.
    uscc === undefined ? undefined : sql`${e.customerId} = (select ${c.id} from ${c} where ${c.uscc} = ${uscc})`,
    since === undefined ? undefined : gte(e.detectedAt, since),
  );
}

/** After `cursor` in newest-first order (detected_at, then id, both descending). */
export function eventsAfter(e: EventsTable, cursor: EventCursor): SQL {
  return sql`(${e.detectedAt}, ${e.id}) < (${cursor.detectedAt}, ${cursor.id})`;
}

/** `%`, `_` and the escape character itself taken literally in a LIKE pattern (ESCAPE '\'). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
