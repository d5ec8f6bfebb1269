/**
 * What the API and the console both do on a user's behalf, one code path each, with the CLI's
 * rules: re-scans through the durable request path, imports with the same per-row report, and
 * customers' pages read with an audit entry (they hold personal data).
 */
import { acknowledgeEvent, type EventAcknowledged } from '../../app/acknowledge-event.js';
import { importCustomers, type ImportSummary } from '../../app/import-customers.js';
import { callsPerCheck, requestRescans, type RescanScope } from '../../app/request-rescan.js';
import type { CustomerView } from '../../cli/customer-view.js';
import { parseCustomerCsv } from '../../csv/customer-csv.js';
import { AppError } from '../../errors.js';
import { acknowledgeEventDeps } from '../../wiring/check-deps.js';
import { customerDetail } from '../../wiring/customer-detail.js';
import { actorOf, type Principal } from './auth.js';
import type { ServerDeps } from './server-deps.js';

/** Imports an uploaded CSV as `customers import` does; the caller shapes the report (importReportView). */
export async function importCsv(deps: ServerDeps, principal: Principal, bytes: Buffer, file: string): Promise<ImportSummary> {
  const parsed = parseCustomerCsv(bytes, file);
  const { repos } = deps.store;
  return importCustomers(parsed, file, { repo: repos.customers, audit: repos.auditLog, actor: actorOf(principal), now: deps.clock() });
}

export interface RescanAccepted {
  jobIds: string[];
  requestIds: number[];
  estimatedCalls: number | null;
}

/** @throws AppError `NOT_FOUND` (unknown customer), `INPUT_REJECTED` (over today's budget), `REDIS_UNAVAILABLE`. */
export async function rescan(deps: ServerDeps, principal: Principal, scope: RescanScope, force: boolean): Promise<RescanAccepted> {
  const { repos } = deps.store;
  if (scope.kind === 'uscc' && !(await repos.customers.findByUscc(scope.uscc))) throw new AppError('NOT_FOUND', `no customer ${scope.uscc}`);
  // Redis first: when it is unreachable nothing is recorded that would start later on its own.
  const queue = await deps.queueClient();
  const outcome = await requestRescans(
    {
      store: repos.rescanRequests,
      enqueue: (requests) => queue.addRescans(requests),
      budget: { dailyCallBudget: deps.config.provider.dailyCallBudget, usedToday: async () => (await queue.providerCallsToday()).total },
      callsPerCheck: callsPerCheck(deps.config.provider.sections),
    },
    { scopes: [scope], force, actor: actorOf(principal), now: deps.clock() },
  );
  if (outcome.kind === 'over_budget') {
    const { cost } = outcome;
    throw new AppError('INPUT_REJECTED', `about ${cost.estimatedCalls} provider calls, but only ${cost.remaining ?? 0} of today's budget left; nothing queued (force it, or narrow it)`);
  }
  const estimatedCalls = outcome.cost?.estimatedCalls ?? null;
  await repos.auditLog.record(
    { actor: actorOf(principal), action: 'rescan', subject: JSON.stringify([scope]), details: { jobIds: outcome.jobIds, requestIds: outcome.requests.map((r) => r.id), force, estimatedCalls } },
    deps.clock(),
  );
  return { jobIds: outcome.jobIds, requestIds: outcome.requests.map((r) => r.id), estimatedCalls };
}

/** A customer's page; the read is in the audit log (it shows a legal representative's name). */
export async function viewCustomer(deps: ServerDeps, principal: Principal, uscc: string, via: 'api' | 'console'): Promise<CustomerView> {
  const view = await customerDetail(deps.config, deps.store.repos, uscc, deps.clock(), { events: 100 });
  if (view === undefined) throw new AppError('NOT_FOUND', `no customer ${uscc}`);
  await deps.store.repos.auditLog.record({ actor: actorOf(principal), action: 'customer.view', subject: uscc, details: { via } }, deps.clock());
  return view;
}

export function ackEvent(deps: ServerDeps, principal: Principal, id: string, input: { by?: string | undefined; note?: string | undefined }): Promise<EventAcknowledged> {
  const by = input.by?.trim() || principal.name;
  const note = input.note?.trim() || null;
  return acknowledgeEvent(acknowledgeEventDeps(deps.config, deps.store, () => deps.clock()), id, { by, note, actor: actorOf(principal) });
}
