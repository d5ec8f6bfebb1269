/**
 * Cases on SQLite (CasesRepository): reading them with what belongs to them, and their transitions,
 * each in one write transaction with its events, outbox rows and audit entry.
 */
import { and, asc, desc, eq, inArray, isNull, lt, ne, notLike, sql, type SQL } from 'drizzle-orm';
import type { CaseDetail, CaseEventWrite, CasesRepository, CaseTransition } from '../app/case-ports.js';
import type { CaseRecord } from '../domain/cases.js';
import { AppError } from '../errors.js';
import { caseCounts, caseFilterConditions, deadlineColumns, openedBefore, pendingDeadline } from './case-conditions.js';
import { toCaseRecord } from './case-rows.js';
import { inWriteTransaction, type DatabaseHandle } from './database.js';
import { createOutboxWrites } from './outbox-writes.js';
import { auditLog, cases, customers, deliveries, events } from './schema.js';
import { storeCall } from './store-error.js';

/** Creates the SQLite implementation of {@link CasesRepository}. */
export function createCasesRepository(handle: DatabaseHandle): CasesRepository {
  const { db } = handle;
  const outbox = createOutboxWrites(handle);

  const select = () => db.select({ row: cases, uscc: customers.uscc, name: customers.name }).from(cases).innerJoin(customers, eq(customers.id, cases.customerId));
  const one = (where: SQL | undefined): CaseRecord | undefined => {
    const found = select().where(where).get();
    return found === undefined ? undefined : toCaseRecord(found.row, found);
  };
  const existing = (id: string): CaseRecord => {
    const found = one(eq(cases.id, id));
    if (found === undefined) throw new AppError('NOT_FOUND', `case ${id} does not exist`);
    return found;
  };
  const audit = (id: string, action: string, actor: string, at: number, details: Record<string, unknown>): void => {
    db.insert(auditLog).values({ at, actor, action, subject: id, details }).run();
  };
  const acknowledgeEvents = (id: string, by: string, note: string | null, at: number): void => {
    db.update(events)
      .set({ acknowledgedBy: by, acknowledgedAt: at, acknowledgementNote: note })
      .where(and(eq(events.caseId, id), isNull(events.acknowledgedAt)))
      .run();
  };
  const writeCaseEvent = (kase: CaseRecord, write: CaseEventWrite, at: number): void => {
    outbox.insertEvents(kase.customerId, [write.event], null, kase.id);
    outbox.insertDeliveries(write.deliveries, at);
  };

  return {
    get: (id) => storeCall(`cannot read case ${id}`, () => one(eq(cases.id, id))),

    counts: (now) =>
      storeCall('cannot count cases', () => db.select(caseCounts(cases, now)).from(cases).where(ne(cases.state, 'resolved')).get() ?? { open: 0, acknowledged: 0, overdue: 0 }),

    caseOfEvent: (eventId) =>
      storeCall(`cannot read the case of event ${eventId}`, () =>
        one(inArray(cases.id, db.select({ id: events.caseId }).from(events).where(eq(events.id, eventId)))),
      ),

    unresolvedCaseOf: (customerId) =>
      storeCall(`cannot read the case of customer ${customerId}`, () => one(and(eq(cases.customerId, customerId), ne(cases.state, 'resolved')))),

    list: (filter) =>
      storeCall('cannot read cases', () => {
        const conditions = caseFilterConditions(cases, customers, filter);
        if (filter.before !== undefined) conditions.push(openedBefore(cases, filter.before));
        return select()
          .where(and(...conditions))
          .orderBy(desc(cases.openedAt), desc(cases.id))
          .limit(Math.max(0, Math.trunc(filter.limit)))
          .all()
          .map((found) => toCaseRecord(found.row, found));
      }),

    count: (filter) =>
      storeCall('cannot count cases', () => {
        const row = db
          .select({ n: sql<number>`count(*)` })
          .from(cases)
          .innerJoin(customers, eq(customers.id, cases.customerId))
          .where(and(...caseFilterConditions(cases, customers, filter)))
          .get();
        return row?.n ?? 0;
      }),

    detail: (id) =>
      storeCall(`cannot read case ${id}`, (): CaseDetail | undefined => {
        const kase = one(eq(cases.id, id));
        if (kase === undefined) return undefined;
        const inOrder = [asc(events.detectedAt), asc(sql`${events}.rowid`)];
        const caseEvents = db
          .select({ id: events.id, type: events.type, tier: events.tier, detectedAt: events.detectedAt, acknowledgedAt: events.acknowledgedAt })
          .from(events)
          .where(eq(events.caseId, id))
          .orderBy(...inOrder)
          .all();
        const caseDeliveries = db
          .select({
            eventId: deliveries.eventId,
            channel: deliveries.channel,
            target: deliveries.target,
            status: deliveries.status,
            attempts: deliveries.attempts,
            lastError: deliveries.lastError,
          })
          .from(deliveries)
          .innerJoin(events, eq(events.id, deliveries.eventId))
          .where(eq(events.caseId, id))
          .orderBy(asc(deliveries.createdAt), ...inOrder, asc(deliveries.channel), asc(deliveries.target))
          .all();
        const entries = db
          .select({ at: auditLog.at, actor: auditLog.actor, action: auditLog.action, details: auditLog.details })
          .from(auditLog)
          .where(eq(auditLog.subject, id))
          .orderBy(asc(auditLog.id))
          .all();
        return { case: kase, events: caseEvents, deliveries: caseDeliveries, audit: entries };
      }),

    acknowledge: (id, by, note, at, actor) =>
      storeCall(`cannot acknowledge case ${id}`, () =>
        inWriteTransaction(handle, (): CaseTransition => {
          const current = existing(id);
          if (current.state !== 'open') return { outcome: 'unchanged', case: current };
          db.update(cases).set({ state: 'acknowledged', acknowledgedAt: at, acknowledgedBy: by, acknowledgementNote: note }).where(eq(cases.id, id)).run();
          acknowledgeEvents(id, by, note, at);
          audit(id, 'case.acknowledged', actor, at, { by, note });
          return { outcome: 'done', case: existing(id) };
        }),
      ),

    assign: (id, to, at, actor) =>
      storeCall(`cannot assign case ${id}`, () =>
        inWriteTransaction(handle, (): CaseTransition => {
          const current = existing(id);
          if (current.state === 'resolved') return { outcome: 'refused', case: current, reason: `case ${id} is resolved` };
          if (current.assignee === to) return { outcome: 'unchanged', case: current };
          db.update(cases).set({ assignee: to }).where(eq(cases.id, id)).run();
          audit(id, 'case.assigned', actor, at, { from: current.assignee, to });
          return { outcome: 'done', case: existing(id) };
        }),
      ),

    resolve: (id, { by, decision, note, at, actor }, resolved) =>
      storeCall(`cannot resolve case ${id}`, () =>
        inWriteTransaction(handle, (): CaseTransition => {
          const current = existing(id);
          if (current.state === 'resolved') return { outcome: 'refused', case: current, reason: `case ${id} is already resolved` };
          // An open case is acknowledged by its resolution: the same person, at the same time.
          const acknowledgement = current.state === 'open' ? { acknowledgedAt: at, acknowledgedBy: by, acknowledgementNote: note } : {};
          db.update(cases)
            .set({ state: 'resolved', resolvedAt: at, resolvedBy: by, decision, resolutionNote: note, ...acknowledgement })
            .where(eq(cases.id, id))
            .run();
          const after = existing(id);
          const eventIds = db
            .select({ id: events.id })
            .from(events)
            .where(and(eq(events.caseId, id), notLike(events.type, 'case.%')))
            .orderBy(asc(events.detectedAt), asc(sql`${events}.rowid`))
            .all()
            .map((row) => row.id);
          writeCaseEvent(after, resolved(after, eventIds), at);
          // After the case.resolved event is written, so that it is acknowledged by its author too.
          acknowledgeEvents(id, by, note, at);
          audit(id, 'case.resolved', actor, at, { by, decision, note });
          return { outcome: 'done', case: after };
        }),
      ),

    overdueToRaise: (now, kind, limit) =>
      storeCall(`cannot read cases past their ${kind} deadline`, () => {
        const { dueAt, raisedAt } = deadlineColumns(cases, kind);
        return select()
          .where(and(pendingDeadline(cases, kind), isNull(raisedAt), lt(dueAt, now)))
          .orderBy(asc(dueAt), asc(cases.id))
          .limit(Math.max(0, Math.trunc(limit)))
          .all()
          .map((found) => toCaseRecord(found.row, found));
      }),

    raiseOverdue: (id, kind, at, write) =>
      storeCall(`cannot raise the ${kind} deadline of case ${id}`, () =>
        inWriteTransaction(handle, (): boolean => {
          const { raisedAt } = deadlineColumns(cases, kind);
          const raised = db
            .update(cases)
            .set(kind === 'acknowledge' ? { acknowledgeOverdueAt: at } : { resolveOverdueAt: at })
            .where(and(eq(cases.id, id), isNull(raisedAt), pendingDeadline(cases, kind)))
            .run();
          if (raised.changes === 0) return false;
          writeCaseEvent(existing(id), write, at);
          audit(id, 'case.overdue', 'system', at, { deadline: kind });
          return true;
        }),
      ),
  };
}
