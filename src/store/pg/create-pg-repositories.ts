/** Every repository over one PostgreSQL pool, for the composition root: the same interfaces as SQLite's. */
import type { Repositories } from '../create-repositories.js';
import type { PgHandle } from './database.js';
import { createPgAuditLogRepository } from './audit-log-repository.js';
import { createPgCasesRepository } from './cases-repository.js';
import { createPgCheckStore } from './check-store.js';
import { createPgCustomersRepository } from './customers-repository.js';
import { createPgDeliveriesRepository } from './deliveries-repository.js';
import { createPgDigestsRepository } from './digests-repository.js';
import { createPgEscalationsRepository } from './escalations-repository.js';
import { createPgEventsRepository } from './events-repository.js';
import { createPgFiguresRepository } from './figures-repository.js';
import { createPgMetaRepository } from './meta-repository.js';
import { createPgRescanRequestsRepository } from './rescan-requests-repository.js';
import { createPgSnapshotsRepository } from './snapshots-repository.js';
import { createPgTokensRepository } from './tokens-repository.js';
import { createPgWebhookTargetsRepository } from './webhook-targets-repository.js';

export function createPgRepositories(handle: PgHandle, options: { clock?: () => number } = {}): Repositories {
  return {
    customers: createPgCustomersRepository(handle, options),
    checks: createPgCheckStore(handle),
    events: createPgEventsRepository(handle),
    deliveries: createPgDeliveriesRepository(handle, options),
    auditLog: createPgAuditLogRepository(handle),
    meta: createPgMetaRepository(handle),
    snapshots: createPgSnapshotsRepository(handle),
    rescanRequests: createPgRescanRequestsRepository(handle),
    webhookTargets: createPgWebhookTargetsRepository(handle),
    digests: createPgDigestsRepository(handle),
    escalations: createPgEscalationsRepository(handle),
    figures: createPgFiguresRepository(handle),
    cases: createPgCasesRepository(handle),
    tokens: createPgTokensRepository(handle),
  };
}
