/** Webhook targets an operator must re-enable: they answered 410 Gone (table webhook_targets). */
import { eq } from 'drizzle-orm';
import type { DatabaseHandle } from './database.js';
import { webhookTargets } from './schema.js';
import { storeCall } from './store-error.js';

export interface WebhookTargetsRepository {
  disableWebhookTarget(name: string, reason: string, at: number): Promise<void>;
  /** Returns whether the target was disabled. */
  enableWebhookTarget(name: string): Promise<boolean>;
  disabledWebhookTargets(): Promise<Array<{ name: string; disabledAt: number; reason: string | null }>>;
}

export function createWebhookTargetsRepository(handle: DatabaseHandle): WebhookTargetsRepository {
  const { db } = handle;
  return {
    disableWebhookTarget: (name, reason, at) =>
      storeCall(`cannot disable webhook target ${name}`, () => {
        db.insert(webhookTargets)
          .values({ name, disabledAt: at, disabledReason: reason })
          .onConflictDoUpdate({ target: webhookTargets.name, set: { disabledAt: at, disabledReason: reason } })
          .run();
      }),

    enableWebhookTarget: (name) =>
      storeCall(`cannot enable webhook target ${name}`, () => db.delete(webhookTargets).where(eq(webhookTargets.name, name)).run().changes > 0),

    disabledWebhookTargets: () =>
      storeCall('cannot read webhook targets', () =>
        db
          .select()
          .from(webhookTargets)
          .all()
          .flatMap((row) => (row.disabledAt === null ? [] : [{ name: row.name, disabledAt: row.disabledAt, reason: row.disabledReason }])),
      ),
  };
}
