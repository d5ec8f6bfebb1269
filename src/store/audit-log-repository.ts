/** The audit log: who did what from the CLI (import, remove, pause, ack, redrive). Append-only. */
import { desc } from 'drizzle-orm';
import type { DatabaseHandle } from './database.js';
import { auditLog } from './schema.js';
import { storeCall } from './store-error.js';

export interface AuditEntry {
  /** Who: an operator's name, or `cli:<os user>`. */
  actor: string;
  /** What, as a dotted verb: `customers.import`, `customers.remove`, `alerts.ack`, … */
  action: string;
  /** On what: a USCC, an event id, a file name. */
  subject: string;
  /** Anything else worth keeping; stored as JSON. */
  details?: Record<string, unknown>;
}

export interface AuditRecord extends Required<AuditEntry> {
  id: number;
  /** Epoch ms. */
  at: number;
}

export interface AuditLogRepository {
  /** Appends one entry at `at` (epoch ms); returns its id. */
  record(entry: AuditEntry, at: number): Promise<number>;
  /** The latest `limit` entries, newest first. */
  recent(limit: number): Promise<AuditRecord[]>;
}

/** Creates the audit-log repository over an open (and migrated) database. */
export function createAuditLogRepository(handle: DatabaseHandle): AuditLogRepository {
  const { db } = handle;
  return {
    record: (entry, at) =>
      storeCall(`cannot write audit log (${entry.action} ${entry.subject})`, () => {
        const row = db
          .insert(auditLog)
          .values({ at, actor: entry.actor, action: entry.action, subject: entry.subject, details: entry.details ?? {} })
          .returning({ id: auditLog.id })
          .get();
        return row.id;
      }),

    recent: (limit) =>
      storeCall('cannot read audit log', () =>
        db
          .select()
          .from(auditLog)
          .orderBy(desc(auditLog.id))
          .limit(Math.max(0, Math.trunc(limit)))
          .all(),
      ),
  };
}
