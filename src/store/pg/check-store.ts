/** The CheckStore port on PostgreSQL: one check's snapshot, events, outbox rows and bookkeeping. */
import { and, desc, eq } from 'drizzle-orm';
import type { CheckStore, RecordCheckInput } from '../../app/ports.js';
import { AppError } from '../../errors.js';
import { ENTRY_EVENT_TYPES } from '../../domain/entry-history.js';
import { LISTED_SECTIONS, toEntryEvent, toKnownListing, toStoredSnapshot } from '../check-rows.js';
import { events, snapshots } from '../schema.pg.js';
import { anyOf } from './any-of.js';
import { createPgCustomersRepository } from './customers-repository.js';
import { writeEvents } from './write-events.js';
import { inPgTransaction, type PgHandle } from './database.js';
import { createPgEventsRepository } from './events-repository.js';
import { pgCall, toPgStoreError } from './pg-error.js';
import { writeChecks, type CheckWritten } from './write-checks.js';
import { latestFiguresOf, writeGrade } from './write-grades.js';

export interface PgCheckStoreOptions {
  /** Most checks in one transaction. Default 200. */
  maxBatch?: number;
  /**
   * Batch transactions in flight at once; checks that finish meanwhile wait and share the next one,
   * so under load batches grow instead of taking every connection of the pool. Default 2.
   */
  maxInFlight?: number;
}

interface Queued {
  input: RecordCheckInput;
  resolve: (result: CheckWritten) => void;
  reject: (error: unknown) => void;
}

/** Creates the PostgreSQL implementation of {@link CheckStore}. */
export function createPgCheckStore(handle: PgHandle, options: PgCheckStoreOptions = {}): CheckStore {
  const { db } = handle;
  const customersRepository = createPgCustomersRepository(handle);
  const eventsRepository = createPgEventsRepository(handle);
  const commit = createGroupCommit(handle, options);

  return {
    findCustomer: (uscc) => customersRepository.findByUscc(uscc),

    unacknowledgedTiers: (customerId) => eventsRepository.unacknowledgedTiers(customerId),

    listingHistory: (customerId) =>
      pgCall(`cannot read the listing history of customer ${customerId}`, async () => {
        const rows = await db
          .select({ type: events.type, payload: events.payload })
          .from(events)
          .where(and(eq(events.customerId, customerId), anyOf(events.type, [...LISTED_SECTIONS.keys()], 'text')))
          .orderBy(events.seq);
        return rows.flatMap(toKnownListing);
      }),

    entryEvents: (customerId) =>
      pgCall(`cannot read the entry history of customer ${customerId}`, async () => {
        const rows = await db
          .select({ type: events.type, payload: events.payload, detectedAt: events.detectedAt })
          .from(events)
          .where(and(eq(events.customerId, customerId), anyOf(events.type, [...ENTRY_EVENT_TYPES], 'text')))
          .orderBy(events.seq);
        return rows.flatMap(toEntryEvent);
      }),

    latestFigures: (customerId) =>
      pgCall(`cannot read the trading figures of customer ${customerId}`, async () => (await latestFiguresOf(db, [customerId])).get(customerId) ?? null),

    recordGrade: (input) =>
      pgCall(`cannot record the grade of customer ${input.customerId}`, async () => {
        const result = await inPgTransaction(handle, (tx) => writeGrade(tx, input));
        if (result instanceof AppError) throw result;
        return result;
      }),

    latestSnapshot: (customerId) =>
      pgCall(`cannot read the latest snapshot of customer ${customerId}`, async () => {
        const [row] = await db.select().from(snapshots).where(eq(snapshots.customerId, customerId)).orderBy(desc(snapshots.id)).limit(1);
        return row === undefined ? undefined : toStoredSnapshot(row);
      }),

    recordEvents: (input) =>
      pgCall(`cannot record the events of customer ${input.customerId}`, async () => {
        const result = await inPgTransaction(handle, (tx) => writeEvents(tx, input));
        if (result instanceof AppError) throw result;
        return result;
      }),

    recordCheck: (input) => new Promise((resolve, reject) => { commit({ input, resolve, reject }); }),
  };
}

/**
 * Group commit: the checks that finish in the same turn of the event loop share one transaction
 * (and so one WAL flush and a handful of round trips). Each still resolves only after its own data
 * is committed. One failing check must not fail the others: when a batch's transaction fails on
 * data, each of its checks is retried in a transaction of its own, in order.
 */
function createGroupCommit(handle: PgHandle, options: PgCheckStoreOptions): (queued: Queued) => void {
  const maxBatch = options.maxBatch ?? 200;
  const maxInFlight = options.maxInFlight ?? 2;
  const queue: Queued[] = [];
  let inFlight = 0;
  let scheduled = false;

  const schedule = (): void => {
    if (scheduled || queue.length === 0 || inFlight >= maxInFlight) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      while (queue.length > 0 && inFlight < maxInFlight) {
        inFlight += 1;
        void run(queue.splice(0, maxBatch)).finally(() => {
          inFlight -= 1;
          schedule();
        });
      }
    });
  };

  const run = async (batch: Queued[]): Promise<void> => {
    try {
      const results = await inPgTransaction(handle, (tx) => writeChecks(tx, batch.map((item) => item.input)));
      batch.forEach((item, i) => { settle(item, results[i]); });
    } catch (error) {
      // An unreachable or busy server fails every check alike: each fails now and its job retries it.
      // Anything else is one check's data: retry each alone, so only that one fails.
      if (batch.length === 1 || toPgStoreError('', error).retryable) {
        for (const item of batch) item.reject(contextual(item.input, error));
        return;
      }
      for (const item of batch) {
        try {
          const [result] = await inPgTransaction(handle, (tx) => writeChecks(tx, [item.input]));
          settle(item, result);
        } catch (alone) {
          item.reject(contextual(item.input, alone));
        }
      }
    }
  };

  return (queued) => {
    queue.push(queued);
    schedule();
  };
}

function settle(item: Queued, result: CheckWritten | AppError | undefined): void {
  if (result instanceof AppError) item.reject(result);
  else item.resolve(result ?? { newEventIds: [], stale: false });
}

function contextual(input: RecordCheckInput, error: unknown): AppError {
  return toPgStoreError(`cannot record the check of customer ${input.customerId}`, error);
}
