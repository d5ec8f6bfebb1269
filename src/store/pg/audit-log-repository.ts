/** The audit log on PostgreSQL: the same interface and behaviour as the SQLite repository. Append-only. */
import { desc } from 'drizzle-orm';
import type { AuditLogRepository } from '../audit-log-repository.js';
import { auditLog } from '../schema.pg.js';
import type { PgHandle } from './database.js';
import { pgCall } from './pg-error.js';

/** Creates the audit-log repository over an open (and migrated) PostgreSQL database. */
export function createPgAuditLogRepository(handle: PgHandle): AuditLogRepository {
  const { db } = handle;
  return {
    record: (entry, at) =>
      pgCall(`cannot write audit log (${entry.action} ${entry.subject})`, async () => {
        const [row] = await db
          .insert(auditLog)
          .values({ at, actor: entry.actor, action: entry.action, subject: entry.subject, details: entry.details ?? {} })
          .returning({ id: auditLog.id });
        if (row === undefined) throw new Error('the insert returned no id');
        return row.id;
      }),

    recent: (limit) =>
      pgCall('cannot read audit log', () =>
        db
          .select()
          .from(auditLog)
          .orderBy(desc(auditLog.id))
          .limit(Math.max(0, Math.trunc(limit))),
      ),
  };
}
