/** Every repository over one database handle, for the composition root. */
import type { CasesRepository } from '../app/case-ports.js';
import type { CheckStore } from '../app/ports.js';
import type { TokensRepository } from '../app/token-ports.js';
import { createAuditLogRepository, type AuditLogRepository } from './audit-log-repository.js';
import { createCasesRepository } from './cases-repository.js';
import { createCheckStore } from './check-store.js';
import { createCustomersRepository, type CustomersRepository } from './customers-repository.js';
import type { DatabaseHandle } from './database.js';
import { createDeliveriesRepository, type DeliveriesRepository } from './deliveries-repository.js';
import { createDigestsRepository, type DigestsRepository } from './digests-repository.js';
import { createEscalationsRepository, type EscalationsRepository } from './escalations-repository.js';
import { createEventsRepository, type EventsRepository } from './events-repository.js';
import { createFiguresRepository, type FiguresRepository } from './figures-repository.js';
import { createMetaRepository, type MetaRepository } from './meta-repository.js';
import { createTokensRepository } from './tokens-repository.js';
import { createSnapshotsRepository, type SnapshotsRepository } from './snapshots-repository.js';
import { createRescanRequestsRepository, type RescanRequestsRepository } from './rescan-requests-repository.js';
import { createWebhookTargetsRepository, type WebhookTargetsRepository } from './webhook-targets-repository.js';

export interface Repositories {
  customers: CustomersRepository;
  checks: CheckStore;
  events: EventsRepository;
  deliveries: DeliveriesRepository;
  auditLog: AuditLogRepository;
  meta: MetaRepository;
  snapshots: SnapshotsRepository;
  rescanRequests: RescanRequestsRepository;
  webhookTargets: WebhookTargetsRepository;
  digests: DigestsRepository;
  escalations: EscalationsRepository;
  figures: FiguresRepository;
  cases: CasesRepository;
  tokens: TokensRepository;
}

/** Creates all repositories over an open (and migrated) database. */
export function createRepositories(
  handle: DatabaseHandle,
  /** `clock`: epoch-ms time source for rows the caller gives no time for. Default `Date.now`. */
  options: { clock?: () => number } = {},
): Repositories {
  return {
    customers: createCustomersRepository(handle, options),
    checks: createCheckStore(handle),
    events: createEventsRepository(handle),
    deliveries: createDeliveriesRepository(handle, options),
    auditLog: createAuditLogRepository(handle),
    meta: createMetaRepository(handle),
    snapshots: createSnapshotsRepository(handle),
    rescanRequests: createRescanRequestsRepository(handle),
    webhookTargets: createWebhookTargetsRepository(handle),
    digests: createDigestsRepository(handle),
    escalations: createEscalationsRepository(handle),
    figures: createFiguresRepository(handle),
    cases: createCasesRepository(handle),
    tokens: createTokensRepository(handle),
  };
}
