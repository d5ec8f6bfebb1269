/** The CheckStore port over SQLite: one check's snapshot, events, outbox rows and bookkeeping. */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { AppError } from '../errors.js';
import type { CheckRecorded, CheckStore, RecordCheckInput, RecordGradeInput, StoredSnapshot } from '../app/ports.js';
import { ENTRY_EVENT_TYPES } from '../domain/entry-history.js';
import { createCaseIntakeWrites } from './case-intake-writes.js';
import { onlyNew } from './check-rows.js';
import {
  LISTED_SECTIONS,
  sameSnapshot,
  storedSectionMethods,
  toEntryEvent,
  toKnownListing,
  toStoredSnapshot,
  type SnapshotKey,
} from './check-rows.js';
import { createCustomersRepository } from './customers-repository.js';
import { inWriteTransaction, type DatabaseHandle } from './database.js';
import { createEventsRepository } from './events-repository.js';
import { createGradeWrites } from './grade-writes.js';
import { createOutboxWrites } from './outbox-writes.js';
import { customers, events, snapshots } from './schema.js';
import { storeCall, toStoreError } from './store-error.js';

/** Creates the SQLite implementation of {@link CheckStore}. */
export function createCheckStore(handle: DatabaseHandle): CheckStore {
  const { db } = handle;
  const customersRepository = createCustomersRepository(handle);
  const eventsRepository = createEventsRepository(handle);
  const queued: Array<{ input: RecordCheckInput; resolve: (result: CheckRecorded) => void; reject: (error: unknown) => void }> = [];
  // Prepared once: every check runs these (drizzle would otherwise re-prepare them on each call).
  const customerId = sql.placeholder('customerId');
  const latestFull = db.select().from(snapshots).where(eq(snapshots.customerId, customerId)).orderBy(desc(snapshots.id)).limit(1).prepare();
  const latestKey = db
    .select({
      id: snapshots.id,
      hash: snapshots.hash,
      provider: snapshots.provider,
      providerVersion: snapshots.providerVersion,
      normaliserVersion: snapshots.normaliserVersion,
      sectionMethods: snapshots.sectionMethods,
    })
    .from(snapshots)
    .where(eq(snapshots.customerId, customerId))
    .orderBy(desc(snapshots.id))
    .limit(1)
    .prepare();
  const listings = db
    .select({ type: events.type, payload: events.payload })
    .from(events)
    .where(and(eq(events.customerId, customerId), inArray(events.type, [...LISTED_SECTIONS.keys()])))
    .prepare();
  const entries = db
    .select({ type: events.type, payload: events.payload, detectedAt: events.detectedAt })
    .from(events)
    .where(and(eq(events.customerId, customerId), inArray(events.type, [...ENTRY_EVENT_TYPES])))
    .orderBy(sql`rowid`)
    .prepare();
  const grades = createGradeWrites(handle);
  const outbox = createOutboxWrites(handle);
  const intakes = createCaseIntakeWrites(handle, outbox);

  return {
    findCustomer: (uscc) => customersRepository.findByUscc(uscc),

    unacknowledgedTiers: (customerId) => eventsRepository.unacknowledgedTiers(customerId),

    listingHistory: (customerId) =>
      storeCall(`cannot read the listing history of customer ${customerId}`, () =>
        listings.all({ customerId }).flatMap(toKnownListing),
      ),

    entryEvents: (customerId) =>
      storeCall(`cannot read the entry history of customer ${customerId}`, () => entries.all({ customerId }).flatMap(toEntryEvent)),

    latestFigures: (customerId) =>
      storeCall(`cannot read the trading figures of customer ${customerId}`, () => grades.latestFigures(customerId)),

    recordGrade: (input) =>
      storeCall(`cannot record the grade of customer ${input.customerId}`, () => inWriteTransaction(handle, () => recordGradeOne(input))),

    latestSnapshot: (customerId) =>
      storeCall(`cannot read the latest snapshot of customer ${customerId}`, (): StoredSnapshot | undefined => {
        const row = latestFull.get({ customerId });
        return row === undefined ? undefined : toStoredSnapshot(row);
      }),

    recordEvents: (input) =>
      storeCall(`cannot record the events of customer ${input.customerId}`, () =>
        inWriteTransaction(handle, (): CheckRecorded => {
          const newEventIds = outbox.insertEvents(input.customerId, input.events, null);
          outbox.insertDeliveries(onlyNew(input.deliveries, input.events, newEventIds), input.at);
          return withCase({ newEventIds, stale: false }, input.caseIntake && intakes.apply(input.customerId, input.caseIntake, input.events, newEventIds, input.at));
        }),
      ),

    recordCheck: (input) =>
      new Promise((resolve, reject) => {
        queued.push({ input, resolve, reject });
        // Group commit: the checks that finish in the same turn of the event loop share one
        // transaction, so one fsync (synchronous=FULL) serves them all. Each still resolves only
        // after its own data is durable.
        if (queued.length === 1) setImmediate(flush);
      }),
  };

  function flush(): void {
    const batch = queued.splice(0);
    try {
      const results = inWriteTransaction(handle, () => batch.map(({ input }) => recordOne(input)));
      batch.forEach(({ resolve }, i) => { resolve(results[i] ?? { newEventIds: [], stale: false }); });
    } catch {
      // One bad check must not fail the others: retry each in a transaction of its own.
      for (const { input, resolve, reject } of batch) {
        try {
          resolve(inWriteTransaction(handle, () => recordOne(input)));
        } catch (error) {
          reject(toStoreError(`cannot record the check of customer ${input.customerId}`, error));
        }
      }
    }
  }

  /** One check's snapshot, events, outbox rows and bookkeeping; the caller holds the transaction. */
  function recordOne(input: RecordCheckInput): CheckRecorded {
    const latest = latestSnapshotKey(input.customerId);
    // Checked inside the write transaction, so two checks of one customer cannot both pass it.
    if ((latest?.id ?? null) !== input.basedOnSnapshotId) return { newEventIds: [], stale: true };
    // A grade decided from figures (or a grade) replaced meanwhile, e.g. by a figures import.
    if (input.grade !== undefined && !grades.isCurrent(input.customerId, input.grade)) return { newEventIds: [], stale: true };
    // The same snapshot again (a re-run of a check that already committed) is not a change.
    const snapshotId =
      input.snapshot === undefined || (latest !== undefined && sameSnapshot(latest, input.snapshot))
        ? (latest?.id ?? null)
        : insertSnapshot(input.customerId, input.checkedAt, input.snapshot);
    const newEventIds = outbox.insertEvents(input.customerId, input.events, snapshotId);
    outbox.insertDeliveries(onlyNew(input.deliveries, input.events, newEventIds), input.checkedAt);
    const updated = db
      .update(customers)
      .set({
        lastCheckedAt: input.checkedAt,
        nextCheckAt: input.nextCheckAt,
        consecutiveFailures: input.consecutiveFailures,
        lastError: input.lastError,
        degraded: input.degraded,
        queuedAt: null,
      })
      .where(eq(customers.id, input.customerId))
      .run();
    if (updated.changes === 0) {
      throw new AppError('NOT_FOUND', `customer ${input.customerId} does not exist`);
    }
    if (input.grade !== undefined) grades.write(input.customerId, input.grade, input.checkedAt);
    return withCase({ newEventIds, stale: false }, input.caseIntake && intakes.apply(input.customerId, input.caseIntake, input.events, newEventIds, input.checkedAt));
  }

  /** A grade decided without a check, judged against the same state a check would be; the caller holds the transaction. */
  function recordGradeOne(input: RecordGradeInput): CheckRecorded {
    if (latestSnapshotKey(input.customerId)?.id !== input.basedOnSnapshotId) return { newEventIds: [], stale: true };
    if (!grades.isCurrent(input.customerId, input.grade)) return { newEventIds: [], stale: true };
    const newEventIds = outbox.insertEvents(input.customerId, input.events, input.basedOnSnapshotId);
    outbox.insertDeliveries(onlyNew(input.deliveries, input.events, newEventIds), input.gradedAt);
    grades.write(input.customerId, input.grade, input.gradedAt);
    return withCase({ newEventIds, stale: false }, input.caseIntake && intakes.apply(input.customerId, input.caseIntake, input.events, newEventIds, input.gradedAt));
  }

  function insertSnapshot(customerId: number, takenAt: number, snapshot: NonNullable<RecordCheckInput['snapshot']>): number {
    const row = db
      .insert(snapshots)
      .values({
        customerId,
        takenAt,
        hash: snapshot.hash,
        provider: snapshot.method.provider,
        providerVersion: snapshot.method.providerVersion,
        normaliserVersion: snapshot.method.normaliserVersion,
        sectionMethods: storedSectionMethods(snapshot.sectionMethods),
        body: snapshot.body,
      })
      .returning({ id: snapshots.id })
      .get();
    return row.id;
  }

  function latestSnapshotKey(customerId: number): SnapshotKey | undefined {
    return latestKey.get({ customerId });
  }
}


function withCase(result: CheckRecorded, joined: { caseId: string; caseOpened: boolean } | undefined): CheckRecorded {
  return joined === undefined ? result : { ...result, ...joined };
}
