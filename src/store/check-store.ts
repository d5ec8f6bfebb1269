/** The CheckStore port over SQLite: one check's snapshot, events, outbox rows and bookkeeping. */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { AppError } from '../errors.js';
import { sectionMethodsKey, type SectionMethods } from '../domain/method.js';
import type { CheckStore, RecordCheckInput, StoredEvent, StoredSnapshot } from '../app/ports.js';
import { LISTED_EVENT_TYPES } from '../domain/diff-entries.js';
import type { EventType } from '../domain/events.js';
import type { KnownListing } from '../domain/listing-history.js';
import type { AnyListSection } from '../domain/snapshot.js';
import { createCustomersRepository } from './customers-repository.js';
import { inWriteTransaction, type DatabaseHandle } from './database.js';
import { deliveryId } from './delivery-id.js';
import { createEventsRepository } from './events-repository.js';
import { customers, deliveries, events, snapshots, type EventPayload } from './schema.js';
import { storeCall, toStoreError } from './store-error.js';

const LISTED_SECTIONS: ReadonlyMap<EventType, AnyListSection> = new Map(
  (Object.entries(LISTED_EVENT_TYPES) as Array<[AnyListSection, EventType]>).map(([section, type]) => [type, section]),
);

/** Creates the SQLite implementation of {@link CheckStore}. */
export function createCheckStore(handle: DatabaseHandle): CheckStore {
  const { db } = handle;
  const customersRepository = createCustomersRepository(handle);
  const eventsRepository = createEventsRepository(handle);
  const queued: Array<{ input: RecordCheckInput; resolve: (result: RecordResult) => void; reject: (error: unknown) => void }> = [];
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
  const customerById = db
    .select({ uscc: customers.uscc, name: customers.name, tags: customers.tags })
    .from(customers)
    .where(eq(customers.id, customerId))
    .prepare();

  return {
    findCustomer: (uscc) => customersRepository.findByUscc(uscc),

    unacknowledgedTiers: (customerId) => eventsRepository.unacknowledgedTiers(customerId),

    listingHistory: (customerId) =>
      storeCall(`cannot read the listing history of customer ${customerId}`, () =>
        listings.all({ customerId }).flatMap((row): KnownListing[] => {
          const section = LISTED_SECTIONS.get(row.type);
          const entry = row.payload.entry;
          return section === undefined || entry === undefined ? [] : [{ section, key: entry.key, listedOn: entry.listedOn, reason: entry.reason }];
        }),
      ),

    latestSnapshot: (customerId) =>
      storeCall(`cannot read the latest snapshot of customer ${customerId}`, (): StoredSnapshot | undefined => {
        const row = latestFull.get({ customerId });
        if (row === undefined) return undefined;
        return {
          id: row.id,
          customerId: row.customerId,
          takenAt: row.takenAt,
          hash: row.hash,
          method: { provider: row.provider, providerVersion: row.providerVersion, normaliserVersion: row.normaliserVersion },
          sectionMethods: row.sectionMethods ?? {},
          body: row.body,
        };
      }),

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
  function recordOne(input: RecordCheckInput): RecordResult {
    const latest = latestSnapshotKey(input.customerId);
    // Checked inside the write transaction, so two checks of one customer cannot both pass it.
    if ((latest?.id ?? null) !== input.basedOnSnapshotId) return { newEventIds: [], stale: true };
    // The same snapshot again (a re-run of a check that already committed) is not a change.
    const snapshotId =
      input.snapshot === undefined || (latest !== undefined && sameSnapshot(latest, input.snapshot))
        ? (latest?.id ?? null)
        : insertSnapshot(input.customerId, input.checkedAt, input.snapshot);
    const newEventIds: string[] = [];
    const customer = customerAsOfNow(input.customerId);
    for (const event of input.events) {
      const result = db
        .insert(events)
        .values(eventRow(event, snapshotId, customer))
        .onConflictDoNothing({ target: events.id })
        .run();
      if (result.changes > 0) newEventIds.push(event.id);
    }
    for (const draft of input.deliveries) {
      db.insert(deliveries)
        .values({
          id: deliveryId(draft.eventId, draft.channel, draft.target),
          eventId: draft.eventId,
          channel: draft.channel,
          target: draft.target,
          status: 'pending',
          attempts: 0,
          nextAttemptAt: input.checkedAt,
          createdAt: input.checkedAt,
          updatedAt: input.checkedAt,
        })
        // Any conflict (same id or same triple) means this delivery is already in the outbox.
        .onConflictDoNothing()
        .run();
    }
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
    return { newEventIds, stale: false };
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
        sectionMethods: Object.keys(snapshot.sectionMethods).length === 0 ? null : snapshot.sectionMethods,
        body: snapshot.body,
      })
      .returning({ id: snapshots.id })
      .get();
    return row.id;
  }

  function customerAsOfNow(customerId: number): EventPayload['customer'] {
    return customerById.get({ customerId });
  }

  function latestSnapshotKey(customerId: number): SnapshotKey | undefined {
    return latestKey.get({ customerId });
  }
}

type RecordResult = Awaited<ReturnType<CheckStore['recordCheck']>>;

interface SnapshotKey {
  id: number;
  hash: string;
  provider: string;
  providerVersion: string;
  normaliserVersion: number;
  sectionMethods: SectionMethods | null;
}

function sameSnapshot(stored: SnapshotKey, next: NonNullable<RecordCheckInput['snapshot']>): boolean {
  return (
    stored.hash === next.hash &&
    stored.provider === next.method.provider &&
    stored.providerVersion === next.method.providerVersion &&
    stored.normaliserVersion === next.method.normaliserVersion &&
    sectionMethodsKey(stored.sectionMethods ?? {}) === sectionMethodsKey(next.sectionMethods)
  );
}

function eventRow(
  event: StoredEvent,
  snapshotId: number | null,
  customer: EventPayload['customer'],
): typeof events.$inferInsert {
  return {
    id: event.id,
    customerId: event.customerId,
    snapshotId,
    type: event.type,
    tier: event.tier,
    baseline: event.baseline,
    detectedAt: event.detectedAt,
    source: event.source,
    payload: eventPayload(event, customer),
  };
}

/** Keeps only the type-specific parts that are present, so the stored JSON has no undefined keys. */
function eventPayload(event: StoredEvent, customer: EventPayload['customer']): EventPayload {
  const payload: EventPayload = {};
  if (customer !== undefined) payload.customer = customer;
  if (event.change !== undefined) payload.change = event.change;
  if (event.entry !== undefined) {
    // Field by field: a ListEntry passed as an EventEntry would otherwise leak its read counter.
    const { key, listedOn, reason, authority, removedOn, removalReason } = event.entry;
    payload.entry = { key, listedOn, reason, authority, removedOn, removalReason };
  }
  if (event.evidence !== undefined) payload.evidence = event.evidence;
  if (event.statusAfter !== undefined) payload.statusAfter = event.statusAfter;
  if (event.trend !== undefined) payload.trend = event.trend;
  return payload;
}
