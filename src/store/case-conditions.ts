/** The conditions cases are found by, the same on both dialects' tables. */
import { and, eq, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { CaseFilter } from '../app/case-ports.js';
import type { CaseDeadlineKind } from '../domain/cases.js';
import type { cases as pgCases, customers as pgCustomers } from './schema.pg.js';
import type { cases as sqliteCases, customers as sqliteCustomers } from './schema.js';

type CasesTable = typeof sqliteCases | typeof pgCases;

/** A deadline's due time and the time its overdue event was raised. */
export function deadlineColumns(t: CasesTable, kind: CaseDeadlineKind) {
  return kind === 'acknowledge' ? { dueAt: t.acknowledgeDueAt, raisedAt: t.acknowledgeOverdueAt } : { dueAt: t.resolveDueAt, raisedAt: t.resolveOverdueAt };
}

/**
 * The case can still miss its `kind` deadline: acknowledge while open, resolve until resolved.
 * Written as the partial indexes' conditions, so that SQLite's planner matches them.
 */
export function pendingDeadline(t: CasesTable, kind: CaseDeadlineKind): SQL {
  return kind === 'acknowledge' ? eq(t.state, 'open') : ne(t.state, 'resolved');
}

/** Not resolved, with a deadline passed at `now` (epoch ms; overdue after the due time). */
export function overdueAt(t: CasesTable, now: number): SQL {
  return and(ne(t.state, 'resolved'), or(and(eq(t.state, 'open'), lt(t.acknowledgeDueAt, now)), lt(t.resolveDueAt, now))) ?? sql`false`;
}

/** Opened before the case `id` in newest-first order (opened_at, then id); none when `id` is unknown. */
export function openedBefore(t: CasesTable, id: string): SQL {
  return sql`(${t.openedAt}, ${t.id}) < (SELECT b.opened_at, b.id FROM cases AS b WHERE b.id = ${id})`;
}

/** The columns of `CasesRepository.counts` over the cases not resolved. */
export function caseCounts(t: CasesTable, now: number) {
  const count = (condition: SQL): SQL<number> => sql<number>`count(*) filter (where ${condition})`.mapWith(Number);
  return { open: count(eq(t.state, 'open')), acknowledged: count(eq(t.state, 'acknowledged')), overdue: count(overdueAt(t, now)) };
}

/** A list's filter (without its page position) as conditions on cases joined with their customer. */
export function caseFilterConditions(t: CasesTable, c: typeof sqliteCustomers | typeof pgCustomers, filter: Omit<CaseFilter, 'limit' | 'before'>): SQL[] {
  const conditions: SQL[] = [];
  if (filter.state !== undefined) conditions.push(eq(t.state, filter.state));
  if (filter.overdueAt !== undefined) conditions.push(overdueAt(t, filter.overdueAt));
  if (filter.uscc !== undefined) conditions.push(eq(c.uscc, filter.uscc));
  return conditions;
}
