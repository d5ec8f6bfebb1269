/** `/api/*`: the JSON API of DESIGN "HTTP API and web console". Every route names the role it needs. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { assignCase, resolveCase, acknowledgeCase } from '../../app/case-workflow.js';
import { toCaseDetailView, toCaseView } from '../../app/case-view.js';
import { customerJson } from '../../cli/customers-list-command.js';
import { inLineOrder } from '../../cli/row-messages.js';
import { importReportView } from '../console/index.js';
import { parseCustomerName, parseTag } from '../../app/customer-fields.js';
import { parseUscc } from '../../domain/uscc.js';
import { AppError } from '../../errors.js';
import { calendarFrom, createCaseWorkflowDeps } from '../../wiring/check-deps.js';
import { statusReport } from '../../wiring/status-report.js';
import { ackEvent, importCsv, rescan, viewCustomer } from './actions.js';
import { apiErrorSchema, ApiError } from './api-errors.js';
import * as s from './api-schemas.js';
import { actorOf, type Principal } from './auth.js';
import type { ServerDeps } from './server-deps.js';

const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema, 409: apiErrorSchema, 422: apiErrorSchema, 429: apiErrorSchema, 503: apiErrorSchema };
const security = [{ bearer: [] }];

function principalOf(request: { principal?: Principal }): Principal {
  if (request.principal === undefined) throw new ApiError(401, 'UNAUTHENTICATED', 'sign in with a bearer token');
  return request.principal;
}

function usccParam(value: string): string {
  const parsed = parseUscc(value);
  if (!parsed.ok) throw new ApiError(400, 'INVALID_REQUEST', `uscc ${JSON.stringify(value)}: ${parsed.reason}`);
  return parsed.uscc;
}

/** The object without its undefined values (a query's absent filters), as exact optional types want. */
function defined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

function field(name: string, result: { ok: true; value: string } | { ok: false; reason: string }): string {
  if (!result.ok) throw new ApiError(422, 'INPUT_REJECTED', `${name}: ${result.reason}`);
  return result.value;
}

export function registerApiRoutes(root: FastifyInstance, deps: ServerDeps): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { repos } = deps.store;
  const workflow = () => createCaseWorkflowDeps(deps.config, deps.store, () => deps.clock());

  app.get('/api/customers', {
    config: { role: 'viewer' },
    schema: { tags: ['customers'], summary: 'customers, filtered and paged', security, querystring: s.customersQuerySchema, response: { 200: s.customersPageSchema, ...errors } },
  }, async (request) => {
    const page = await repos.customers.page(defined(request.query));
    return { customers: page.items.map((c) => customerJson(c) as z.infer<typeof s.customerItemSchema>), total: page.total, next: page.next };
  });

  app.get('/api/customers/:uscc', {
    config: { role: 'viewer' },
    schema: { tags: ['customers'], summary: "one customer whole (as `customers show --json`); the read is audited", security, params: z.object({ uscc: z.string() }), response: { 200: s.looseObjectSchema, ...errors } },
  }, async (request) => (await viewCustomer(deps, principalOf(request), usccParam(request.params.uscc), 'api')) as unknown as Record<string, unknown>);

  app.post('/api/customers', {
    config: { role: 'admin' },
    schema: { tags: ['customers'], summary: 'add a customer, or update its name and tags', security, body: s.customerInputSchema, response: { 200: z.object({ outcome: z.string(), customer: s.customerItemSchema }), 201: z.object({ outcome: z.string(), customer: s.customerItemSchema }), ...errors } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const parsed = parseUscc(request.body.uscc);
    if (!parsed.ok) throw new ApiError(422, 'INPUT_REJECTED', `uscc: ${parsed.reason}`);
    const name = field('name', parseCustomerName(request.body.name));
    const tags = [...new Set(request.body.tags.map((tag) => field('tags', parseTag(tag))))];
    const { outcome, customer } = await repos.customers.add({ uscc: parsed.uscc, name, tags });
    await repos.auditLog.record({ actor: actorOf(principal), action: 'customer.add', subject: parsed.uscc, details: { name, tags, outcome } }, deps.clock());
    return reply.code(outcome === 'created' ? 201 : 200).send({ outcome, customer: customerJson(customer) as z.infer<typeof s.customerItemSchema> });
  });

  app.post('/api/customers/import', {
    config: { role: 'admin' },
    schema: { tags: ['customers'], summary: 'import a customer CSV (header uscc,name[,tags]; UTF-8, BOM or GBK) with a per-row report', security, consumes: ['text/csv'], response: { ...errors, 200: s.importResultSchema, 422: s.importResultSchema } },
  }, async (request, reply) => {
    if (!Buffer.isBuffer(request.body)) throw new ApiError(400, 'INVALID_REQUEST', 'send the CSV as the body, Content-Type: text/csv');
    const summary = await importCsv(deps, principalOf(request), request.body, 'upload.csv');
    const view = importReportView('upload.csv', summary);
    return reply.code(summary.rejected.length > 0 ? 422 : 200).send({ ...view.summary, encoding: summary.encoding, rows: inLineOrder(view.rows) } as z.infer<typeof s.importResultSchema>);
  });

  app.delete('/api/customers/:uscc', {
    config: { role: 'admin' },
    schema: { tags: ['customers'], summary: 'stop monitoring a customer (its history is kept)', security, params: z.object({ uscc: z.string() }), response: { 204: z.null(), ...errors } },
  }, async (request, reply) => {
    const uscc = usccParam(request.params.uscc);
    const outcome = await repos.customers.remove(uscc);
    if (outcome === 'not_found') throw new AppError('NOT_FOUND', `no customer ${uscc}`);
    await repos.auditLog.record({ actor: actorOf(principalOf(request)), action: 'customer.remove', subject: uscc, details: { outcome } }, deps.clock());
    return reply.code(204).send(null);
  });

  app.get('/api/events', {
    config: { role: 'viewer' },
    schema: { tags: ['events'], summary: 'events, newest first, filtered and paged', security, querystring: s.eventsQuerySchema, response: { 200: s.eventsPageSchema, ...errors } },
  }, async (request) => {
    const { since, ...filter } = request.query;
    const page = await repos.events.page(defined({ ...filter, since: since === undefined ? undefined : Date.parse(since) }));
    return { events: page.items as Array<z.infer<typeof s.eventItemSchema>>, total: page.total, next: page.next };
  });

  app.post('/api/events/:id/ack', {
    config: { role: 'analyst' },
    schema: { tags: ['events'], summary: "acknowledge an event (idempotent) and its open case; `by` defaults to the token's name", security, params: z.object({ id: z.string().min(1).max(100) }), body: s.ackInputSchema.optional(), response: { 200: s.ackResultSchema, ...errors } },
  }, async (request) => {
    const done = await ackEvent(deps, principalOf(request), request.params.id, request.body ?? {});
    const ack = done.event;
    return { id: request.params.id, outcome: ack.outcome, acknowledgedBy: ack.acknowledgedBy, acknowledgedAt: new Date(ack.acknowledgedAt).toISOString(), note: ack.note, case: done.case };
  });

  app.get('/api/cases', {
    config: { role: 'viewer' },
    schema: { tags: ['cases'], summary: 'cases, newest first, filtered and paged', security, querystring: s.casesQuerySchema, response: { 200: s.casesPageSchema, ...errors } },
  }, async (request) => {
    const now = deps.clock();
    const { limit, cursor, overdue, state, uscc } = request.query;
    const filter = { ...(state === undefined ? {} : { state }), ...(overdue === 'true' ? { overdueAt: now } : {}), ...(uscc === undefined ? {} : { uscc: usccParam(uscc) }) };
    // One more than asked: whether a next page exists, without a second query.
    const records = await repos.cases.list({ ...filter, limit: limit + 1, ...(cursor === undefined ? {} : { before: cursor }) });
    const shown = records.slice(0, limit);
    const next = records.length > limit ? (shown.at(-1)?.id ?? null) : null;
    return { cases: shown.map((r) => toCaseView(r, now) as unknown as z.infer<typeof s.caseItemSchema>), total: await repos.cases.count(filter), next };
  });

  app.get('/api/cases/:id', {
    config: { role: 'viewer' },
    schema: { tags: ['cases'], summary: 'a case with its events, deliveries and audit trail', security, params: z.object({ id: z.string().min(1).max(100) }), response: { 200: s.looseObjectSchema, ...errors } },
  }, async (request) => {
    const detail = await repos.cases.detail(request.params.id);
    if (detail === undefined) throw new AppError('NOT_FOUND', `no case ${request.params.id}`);
    return toCaseDetailView(detail, deps.clock()) as unknown as Record<string, unknown>;
  });

  const transition = (done: Awaited<ReturnType<typeof acknowledgeCase>>) => {
    if (done.outcome === 'refused') throw new ApiError(409, 'CONFLICT', done.reason);
    return { outcome: done.outcome, case: toCaseView(done.case, deps.clock()) as unknown as z.infer<typeof s.caseItemSchema> };
  };
  const caseParams = z.object({ id: z.string().min(1).max(100) });
  const caseResponse = { 200: s.caseTransitionSchema, ...errors };

  app.post('/api/cases/:id/ack', {
    config: { role: 'analyst' },
    schema: { tags: ['cases'], summary: 'acknowledge a case (stops its escalation)', security, params: caseParams, body: s.caseAckInputSchema.optional(), response: caseResponse },
  }, async (request) => {
    const principal = principalOf(request);
    const by = request.body?.by?.trim() || principal.name;
    return transition(await acknowledgeCase(workflow(), request.params.id, by, request.body?.note?.trim() || null, actorOf(principal)));
  });

  app.post('/api/cases/:id/assign', {
    config: { role: 'analyst' },
    schema: { tags: ['cases'], summary: 'assign a case', security, params: caseParams, body: s.caseAssignInputSchema, response: caseResponse },
  }, async (request) => transition(await assignCase(workflow(), request.params.id, request.body.assignee.trim(), actorOf(principalOf(request)))));

  app.post('/api/cases/:id/resolve', {
    config: { role: 'analyst' },
    schema: { tags: ['cases'], summary: 'resolve a case with a decision on trading with the customer', security, params: caseParams, body: s.caseResolveInputSchema, response: caseResponse },
  }, async (request) => {
    const principal = principalOf(request);
    const by = request.body.by?.trim() || principal.name;
    return transition(await resolveCase(workflow(), request.params.id, { by, decision: request.body.decision, note: request.body.note.trim(), actor: actorOf(principal) }));
  });

  app.post('/api/rescan', {
    config: { role: 'analyst' },
    schema: { tags: ['rescan'], summary: 're-scan now through the durable re-scan path (as `credit-monitor rescan`)', security, body: s.rescanInputSchema, response: { 202: s.rescanResultSchema, ...errors } },
  }, async (request, reply) => {
    const body = request.body;
    const scope = 'uscc' in body ? { kind: 'uscc' as const, uscc: usccParam(body.uscc) } : 'all' in body ? { kind: 'all' as const } : { kind: 'tag' as const, tag: body.tag };
    return reply.code(202).send(await rescan(deps, principalOf(request), scope, body.force === true));
  });

  app.get('/api/status', {
    config: { role: 'viewer' },
    schema: { tags: ['status'], summary: 'what `status --json` reports', security, response: { 200: s.looseObjectSchema, ...errors } },
  }, async () =>
    (await statusReport({
      store: deps.store,
      config: deps.config,
      calendar: calendarFrom(deps.config),
      now: deps.clock(),
      queueClient: () => deps.queueClient(),
      cadencePlan: () => deps.cadencePlan(),
      configuredChannels: deps.configuredChannels,
    })) as unknown as Record<string, unknown>);
}
