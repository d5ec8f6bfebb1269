/** Webhook targets an operator must re-enable, on PostgreSQL: the same interface as the SQLite repository. */
import { asc, eq, isNotNull } from 'drizzle-orm';
import type { WebhookTargetsRepository } from '../webhook-targets-repository.js';
import { webhookTargets } from '../schema.pg.js';
import type { PgHandle } from './database.js';
import { pgCall } from './pg-error.js';

/** Creates the webhook-targets repository over an open (and migrated) PostgreSQL database. */
export function createPgWebhookTargetsRepository(handle: PgHandle): WebhookTargetsRepository {
  const { db } = handle;
  return {
    disableWebhookTarget: (name, reason, at) =>
      pgCall(`cannot disable webhook target ${name}`, async () => {
        await db
          .insert(webhookTargets)
          .values({ name, disabledAt: at, disabledReason: reason })
          .onConflictDoUpdate({ target: webhookTargets.name, set: { disabledAt: at, disabledReason: reason } });
      }),

    enableWebhookTarget: (name) =>
      pgCall(`cannot enable webhook target ${name}`, async () => {
        const deleted = await db.delete(webhookTargets).where(eq(webhookTargets.name, name)).returning({ name: webhookTargets.name });
        return deleted.length > 0;
      }),

    disabledWebhookTargets: () =>
      pgCall('cannot read webhook targets', async () => {
        const rows = await db.select().from(webhookTargets).where(isNotNull(webhookTargets.disabledAt)).orderBy(asc(webhookTargets.name));
        return rows.flatMap((row) => (row.disabledAt === null ? [] : [{ name: row.name, disabledAt: row.disabledAt, reason: row.disabledReason }]));
      }),
  };
}
