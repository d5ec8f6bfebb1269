/* eslint-disable -- placeholder, replaced by the PostgreSQL implementation */
/** PLACEHOLDER: the PostgreSQL AuditLogRepository is being built; every call refuses until then. */
import type { AuditLogRepository } from '../audit-log-repository.js';
import type { PgHandle } from './database.js';
import { notBuiltYet } from './not-built-yet.js';

export function createPgAuditLogRepository(_handle: PgHandle): AuditLogRepository {
  return notBuiltYet<AuditLogRepository>('AuditLogRepository');
}
