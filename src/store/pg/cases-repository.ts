/**
 * Cases on PostgreSQL (see `../cases-repository.ts`). Several hosts may act on one case at once: a
 * transition locks the case's row first (FOR NO KEY UPDATE) and decides on what it then reads, and
 * raising an overdue deadline is a compare-and-set on its column, so exactly one of them writes.
 */
import { and, asc, desc, eq, inArray, isNull, lt, ne, notLike, sql, type SQL } from 'drizzle-orm';
import type { CaseDetail, CaseEventWrite, CasesRepository, CaseTransition } from '../../app/case-ports.js';
import type { CaseRecord } from '../../domain/cases.js';
import { AppError } from '../../errors.js';
import { caseCounts, caseFilterConditions, deadlineColumns, openedBefore, pendingDeadline } from '../case-conditions.js';
import { toCaseRecord } from '../case-rows.js';
import { auditLog, cases, customers, deliveries, events } from '../schema.pg.js';
import { inPgTransaction, type PgExecutor, type PgHandle } from './database.js';
import { pgCall } from './pg-error.js';
import { insertDeliveries, insertEvents } from './write-outbox.js';

/** Creates the PostgreSQL implementation of {@link CasesRepository}. */
export function createPgCasesRepository(handle: PgHandle): CasesRepository {
  const { db } = handle;

  const select = (on: PgExecutor) =>
    on.select({ row: cases, uscc: customers.uscc, name: customers.name, tags: customers.tags }).from(cases).innerJoin(customers, eq(customers.id, cases.customerId));
  const one = async (on: PgExecutor, where: SQL | undefined): Promise<CaseRecord | undefined> => {
    const [found] = await select(on).where(where).limit(1);
    return found === undefined ? undefined : toCaseRecord(found.row, found);
  };
  /** The case with its row locked until the transaction ends. */
  const locked = async (tx: PgExecutor, id: string): Promise<{ kase: CaseRecord; tags: string[] }> => {
    const [found] = await select(tx).where(eq(cases.id, id)).for('no key update', { of: cases });
    if (found === undefined) throw new AppError('NOT_FOUND', `case ${id} does not exist`);
    return { kase: toCaseRecord(found.row, found), tags: found.tags };
  };
  const audit = (tx: PgExecutor, id: string, action: string, actor: string, at: number, details: Record<string, unknown>) =>
    tx.insert(auditLog).values({ at, actor, action, subject: id, details });
  const acknowledgeEvents = (tx: PgExecutor, id: string, by: string, note: string | null, at: number) =>
    tx
      .update(events)
      .set({ acknowledgedBy: by, acknowledgedAt: at, acknowledgementNote: note })
      .where(and(eq(events.caseId, id), isNull(events.acknowledgedAt)));
  const writeCaseEvent = async (tx: PgExecutor, kase: CaseRecord, tags: string[], write: CaseEventWrite, at: number): Promise<void> => {
    await insertEvents(tx, [{ event: write.event, snapshotId: null, customer: { uscc: kase.uscc, name: kase.customerName, tags }, caseId: kase.id }]);
    await insertDeliveries(tx, write.deliveries.map((draft) => ({ draft, at })));
  };
  const transition = (context: string, work: (tx: PgExecutor) => Promise<CaseTransition>) =>
    pgCall(context, () => inPgTransaction(handle, work));

  return {
    get: (id) => pgCall(`cannot read case ${id}`, () => one(db, eq(cases.id, id))),

    counts: (now) =>
      pgCall('cannot count cases', async () => {
        const [row] = await db.select(caseCounts(cases, now)).from(cases).where(ne(cases.state, 'resolved'));
        return row ?? { open: 0, acknowledged: 0, overdue: 0 };
      }),

    caseOfEvent: (eventId) =>
      pgCall(`cannot read the case of event ${eventId}`, () =>
        one(db, inArray(cases.id, db.select({ id: events.caseId }).from(events).where(eq(events.id, eventId)))),
      ),

    unresolvedCaseOf: (customerId) =>
      pgCall(`cannot read the case of customer ${customerId}`, () => one(db, and(eq(cases.customerId, customerId), ne(cases.state, 'resolved')))),

    list: (filter) =>
      pgCall('cannot read cases', async () => {
        const conditions = caseFilterConditions(cases, customers, filter);
        if (filter.before !== undefined) conditions.push(openedBefore(cases, filter.before));
        const rows = await select(db)
          .where(and(...conditions))
          .orderBy(desc(cases.openedAt), desc(cases.id))
          .limit(Math.max(0, Math.trunc(filter.limit)));
        return rows.map((found) => toCaseRecord(found.row, found));
      }),

    count: (filter) =>
      pgCall('cannot count cases', async () => {
        const [row] = await db
          .select({ n: sql<number>`count(*)::int` })
          .from(cases)
          .innerJoin(customers, eq(customers.id, cases.customerId))
          .where(and(...caseFilterConditions(cases, customers, filter)));
        return row?.n ?? 0;
      }),

    detail: (id) =>
      pgCall(`cannot read case ${id}`, async (): Promise<CaseDetail | undefined> => {
        const kase = await one(db, eq(cases.id, id));
        if (kase === undefined) return undefined;
        const [caseEvents, caseDeliveries, entries] = await Promise.all([
          db
            .select({ id: events.id, type: events.type, tier: events.tier, detectedAt: events.detectedAt, acknowledgedAt: events.acknowledgedAt })
            .from(events)
            .where(eq(events.caseId, id))
            .orderBy(asc(events.detectedAt), asc(events.seq)),
          db
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
            .orderBy(asc(deliveries.createdAt), asc(events.detectedAt), asc(events.seq), asc(deliveries.channel), asc(deliveries.target)),
          db
            .select({ at: auditLog.at, actor: auditLog.actor, action: auditLog.action, details: auditLog.details })
            .from(auditLog)
            .where(eq(auditLog.subject, id))
            .orderBy(asc(auditLog.id)),
        ]);
        return { case: kase, events: caseEvents, deliveries: caseDeliveries, audit: entries };
      }),

    acknowledge: (id, by, note, at, actor) =>
      transition(`cannot acknowledge case ${id}`, async (tx) => {
        const { kase } = await locked(tx, id);
        if (kase.state !== 'open') return { outcome: 'unchanged', case: kase };
        await tx.update(cases).set({ state: 'acknowledged', acknowledgedAt: at, acknowledgedBy: by, acknowledgementNote: note }).where(eq(cases.id, id));
        await acknowledgeEvents(tx, id, by, note, at);
        await audit(tx, id, 'case.acknowledged', actor, at, { by, note });
        return { outcome: 'done', case: { ...kase, state: 'acknowledged', acknowledgedAt: at, acknowledgedBy: by, acknowledgementNote: note } };
      }),

    assign: (id, to, at, actor) =>
      transition(`cannot assign case ${id}`, async (tx) => {
        const { kase } = await locked(tx, id);
        if (kase.state === 'resolved') return { outcome: 'refused', case: kase, reason: `case ${id} is resolved` };
        if (kase.assignee === to) return { outcome: 'unchanged', case: kase };
        await tx.update(cases).set({ assignee: to }).where(eq(cases.id, id));
        await audit(tx, id, 'case.assigned', actor, at, { from: kase.assignee, to });
        return { outcome: 'done', case: { ...kase, assignee: to } };
      }),

    resolve: (id, { by, decision, note, at, actor }, resolved) =>
      transition(`cannot resolve case ${id}`, async (tx) => {
        const { kase, tags } = await locked(tx, id);
        if (kase.state === 'resolved') return { outcome: 'refused', case: kase, reason: `case ${id} is already resolved` };
        // An open case is acknowledged by its resolution: the same person, at the same time.
        const acknowledgement = kase.state === 'open' ? { acknowledgedAt: at, acknowledgedBy: by, acknowledgementNote: note } : {};
        await tx
          .update(cases)
          .set({ state: 'resolved', resolvedAt: at, resolvedBy: by, decision, resolutionNote: note, ...acknowledgement })
          .where(eq(cases.id, id));
        const after: CaseRecord = { ...kase, ...acknowledgement, state: 'resolved', resolvedAt: at, resolvedBy: by, decision, resolutionNote: note };
        const eventIds = (
          await tx
            .select({ id: events.id })
            .from(events)
            .where(and(eq(events.caseId, id), notLike(events.type, 'case.%')))
            .orderBy(asc(events.detectedAt), asc(events.seq))
        ).map((row) => row.id);
        await writeCaseEvent(tx, after, tags, resolved(after, eventIds), at);
        // After the case.resolved event is written, so that it is acknowledged by its author too.
        await acknowledgeEvents(tx, id, by, note, at);
        await audit(tx, id, 'case.resolved', actor, at, { by, decision, note });
        return { outcome: 'done', case: after };
      }),

    overdueToRaise: (now, kind, limit) =>
      pgCall(`cannot read cases past their ${kind} deadline`, async () => {
        const { dueAt, raisedAt } = deadlineColumns(cases, kind);
        const rows = await select(db)
          .where(and(pendingDeadline(cases, kind), isNull(raisedAt), lt(dueAt, now)))
          .orderBy(asc(dueAt), asc(cases.id))
          .limit(Math.max(0, Math.trunc(limit)));
        return rows.map((found) => toCaseRecord(found.row, found));
      }),

    raiseOverdue: (id, kind, at, write) =>
      pgCall(`cannot raise the ${kind} deadline of case ${id}`, () =>
        inPgTransaction(handle, async (tx) => {
          const { raisedAt } = deadlineColumns(cases, kind);
          // A second host's UPDATE waits on the first's row lock, then re-reads the row it raised and matches nothing.
          const raised = await tx
            .update(cases)
            .set(kind === 'acknowledge' ? { acknowledgeOverdueAt: at } : { resolveOverdueAt: at })
            .where(and(eq(cases.id, id), isNull(raisedAt), pendingDeadline(cases, kind)))
            .returning({ id: cases.id });
          if (raised.length === 0) return false;
          const { kase, tags } = await locked(tx, id);
          await writeCaseEvent(tx, kase, tags, write, at);
          await audit(tx, id, 'case.overdue', 'system', at, { deadline: kind });
          return true;
        }),
      ),
  };
}
