/** Events raised from stored data alone (the listing clock's pass) on PostgreSQL: `CheckStore.recordEvents`. */
import { asc, eq } from 'drizzle-orm';
import type { CheckRecorded, RecordEventsInput } from '../../app/ports.js';
import { AppError } from '../../errors.js';
import { onlyNew } from '../check-rows.js';
import { customers } from '../schema.pg.js';
import type { PgExecutor } from './database.js';
import { lockUnresolvedCases, writeCaseIntakes } from './write-case-intakes.js';
import { insertDeliveries, insertEvents } from './write-outbox.js';

/**
 * In the caller's transaction. The customer's row is locked first, as a check locks it, then its
 * case not yet resolved: the same order as writeChecks, so the two cannot deadlock.
 */
export async function writeEvents(tx: PgExecutor, input: RecordEventsInput): Promise<CheckRecorded | AppError> {
  const [customer] = await tx
    .select({ uscc: customers.uscc, name: customers.name, tags: customers.tags })
    .from(customers)
    .where(eq(customers.id, input.customerId))
    .orderBy(asc(customers.id))
    .for('no key update');
  if (customer === undefined) return new AppError('NOT_FOUND', `customer ${input.customerId} does not exist`);
  const unresolved = input.caseIntake === undefined ? undefined : await lockUnresolvedCases(tx, [input.customerId]);
  const inserted = await insertEvents(tx, input.events.map((event) => ({ event, snapshotId: null, customer })));
  const newEventIds = input.events.filter((event) => inserted.has(event.id)).map((event) => event.id);
  await insertDeliveries(tx, onlyNew(input.deliveries, input.events, newEventIds).map((draft) => ({ draft, at: input.at })));
  if (input.caseIntake === undefined || unresolved === undefined) return { newEventIds, stale: false };
  const [joined] = await writeCaseIntakes(
    tx,
    [{ customerId: input.customerId, intake: input.caseIntake, events: input.events, newEventIds, at: input.at, customer }],
    unresolved,
  );
  return joined === undefined ? { newEventIds, stale: false } : { newEventIds, stale: false, ...joined };
}
