/**
 * The HTTP API on both stores, through `inject()`: every route, every role and every error code
 * of DESIGN "HTTP API and web console"; the description validates as OpenAPI 3.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../../src/app/ports.js';
import { intakeFor } from '../../helpers/case-fixtures.js';
import { startApiRig, type ApiRig } from '../../helpers/api-server.js';
import { sampleCheck, sampleEvent, withoutSnapshot } from '../../helpers/store-fixtures.js';
import { STORE_DIALECTS, useTestStores } from '../../helpers/test-stores.js';
import { validUscc } from '../../helpers/valid-uscc.js';

const T0 = Date.UTC(2026, 10, 27, 8);
const LISTED = validUscc(1);
const QUIET = validUscc(2);

describe.each(STORE_DIALECTS)('HTTP API on %s', (dialect) => {
  const stores = useTestStores(dialect);
  let rig: ApiRig;
  let listedId: number;

  beforeEach(async () => {
    rig = await startApiRig(await stores.open());
    const { repos } = rig.t;
    listedId = (await repos.customers.add({ uscc: LISTED, name: '甲公司', tags: ['华南'] })).customer.id;
    await repos.customers.add({ uscc: QUIET, name: '乙公司', tags: [] });
    const events: StoredEvent[] = [
      sampleEvent(listedId, { id: 'evt-listed', detectedAt: T0 }),
      sampleEvent(listedId, { id: 'evt-name', type: 'registration.name_changed', tier: 'medium', detectedAt: T0 + 1 }),
    ];
    await repos.checks.recordCheck({ ...withoutSnapshot(sampleCheck(listedId, events, T0)), caseIntake: intakeFor(events, T0) });
  });
  afterEach(async () => {
    await rig.close();
  });

  const get = (url: string, role: 'viewer' | 'analyst' | 'admin' = 'viewer') => rig.app.inject({ method: 'GET', url, headers: rig.auth(role) });
  const post = (url: string, body: unknown, role: 'viewer' | 'analyst' | 'admin' = 'analyst') =>
    rig.app.inject({ method: 'POST', url, headers: rig.auth(role), payload: body as Record<string, unknown> });
  const errorOf = (response: { json(): unknown }) => (response.json() as { error: { code: string; message: string } }).error;

  it('refuses a request without a valid token with 401, and a revoked token the same', async () => {
    const none = await rig.app.inject({ method: 'GET', url: '/api/customers' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(errorOf(none)).toEqual({ code: 'UNAUTHENTICATED', message: expect.stringContaining('bearer token') });
    for (const authorization of ['Bearer cm_0000000000000000_nope', 'Basic abc', `Bearer ${rig.tokens.viewer}x`]) {
      expect((await rig.app.inject({ method: 'GET', url: '/api/customers', headers: { authorization } })).statusCode, authorization).toBe(401);
    }
    await rig.t.repos.tokens.revoke('viewer-1', Date.now());
    expect((await get('/api/customers')).statusCode).toBe(401);
    expect((await get('/api/customers', 'analyst')).statusCode).toBe(200);
  });

  it('enforces the role of every route with 403, naming the role it needs', async () => {
    const forbidden = [
      ['POST', '/api/events/evt-listed/ack', 'viewer'],
      ['POST', '/api/cases/C-x/ack', 'viewer'],
      ['POST', '/api/cases/C-x/assign', 'viewer'],
      ['POST', '/api/cases/C-x/resolve', 'viewer'],
      ['POST', '/api/rescan', 'viewer'],
      ['POST', '/api/customers', 'analyst'],
      ['POST', '/api/customers/import', 'analyst'],
      ['DELETE', `/api/customers/${QUIET}`, 'analyst'],
    ] as const;
    for (const [method, url, role] of forbidden) {
      const response = await rig.app.inject({ method, url, headers: rig.auth(role), payload: {} });
      expect(response.statusCode, `${method} ${url} as ${role}`).toBe(403);
      expect(errorOf(response).code).toBe('FORBIDDEN');
    }
    expect(errorOf(await post('/api/customers', {}, 'analyst')).message).toMatch(/needs the admin role; this token is analyst/);
    expect(await rig.t.sql('select * from customers where removed_at is not null')).toEqual([]);
  });

  it('lists customers filtered and paged, with a total and a cursor; a bad filter is a 400', async () => {
    const all = await get('/api/customers?limit=1');
    expect(all.statusCode).toBe(200);
    const first = all.json<{ customers: Array<{ uscc: string; grade: string }>; total: number; next: string | null }>();
    expect(first.total).toBe(2);
    expect(first.customers).toHaveLength(1);
    expect(first.next).not.toBeNull();
    const second = (await get(`/api/customers?limit=1&cursor=${encodeURIComponent(first.next ?? '')}`)).json<typeof first>();
    expect([...first.customers, ...second.customers].map((c) => c.uscc).sort()).toEqual([LISTED, QUIET].sort());
    expect(second.next).toBeNull();
    expect(Object.keys(first.customers[0] ?? {})).toEqual(['uscc', 'name', 'tags', 'paused', 'lastCheckedAt', 'nextCheckAt', 'consecutiveFailures', 'grade']);

    const byTag = (await get('/api/customers?tag=%E5%8D%8E%E5%8D%97')).json<typeof first>();
    expect(byTag.customers.map((c) => c.uscc)).toEqual([LISTED]);
    const byTier = (await get('/api/customers?tier=high')).json<typeof first>();
    expect(byTier.customers.map((c) => c.uscc)).toEqual([LISTED]);
    const bySearch = (await get(`/api/customers?search=${encodeURIComponent('乙')}`)).json<typeof first>();
    expect(bySearch.customers.map((c) => c.uscc)).toEqual([QUIET]);

    for (const url of ['/api/customers?limit=0', '/api/customers?grade=best', '/api/customers?cursor=%21%21bad']) {
      const bad = await get(url);
      expect(bad.statusCode, url).toBe(400);
      expect(errorOf(bad).code, url).toBe('INVALID_REQUEST');
    }
  });

  it("shows one customer whole and audits the read with the token's name; unknown 404, malformed 400", async () => {
    const shown = await get(`/api/customers/${LISTED}`);
    expect(shown.statusCode).toBe(200);
    const view = shown.json<{ customer: { uscc: string }; recentEvents: Array<{ id: string }>; openCase: { id: string } | null }>();
    expect(view.customer.uscc).toBe(LISTED);
    expect(view.recentEvents.map((e) => e.id)).toEqual(expect.arrayContaining(['evt-listed', 'evt-name']));
    expect(view.openCase).not.toBeNull();
    const audit = await rig.t.sql<{ actor: string; action: string; subject: string }>("select actor, action, subject from audit_log where action = 'customer.view'");
    expect(audit).toEqual([{ actor: 'token:viewer-1', action: 'customer.view', subject: LISTED }]);
    expect((await get(`/api/customers/${validUscc(99)}`)).statusCode).toBe(404);
    const bad = await get('/api/customers/not-a-code');
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).message).toMatch(/not-a-code/);
  });

  it('adds, updates and removes customers as an admin, each in the audit log', async () => {
    const uscc = validUscc(3);
    const created = await post('/api/customers', { uscc, name: '丙公司', tags: ['新'] }, 'admin');
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ outcome: 'created', customer: { uscc, name: '丙公司', tags: ['新'] } });
    expect((await post('/api/customers', { uscc, name: '丙公司（新）' }, 'admin')).json()).toMatchObject({ outcome: 'updated' });
    const invalid = await post('/api/customers', { uscc: '123', name: 'x' }, 'admin');
    expect(invalid.statusCode).toBe(422);
    expect(errorOf(invalid).code).toBe('INPUT_REJECTED');
    expect((await post('/api/customers', { name: 'no code' }, 'admin')).statusCode).toBe(400);

    const removed = await rig.app.inject({ method: 'DELETE', url: `/api/customers/${uscc}`, headers: rig.auth('admin') });
    expect(removed.statusCode).toBe(204);
    // Idempotent: removing a removed customer changes nothing; an unknown one is a 404.
    expect((await rig.app.inject({ method: 'DELETE', url: `/api/customers/${uscc}`, headers: rig.auth('admin') })).statusCode).toBe(204);
    expect((await rig.app.inject({ method: 'DELETE', url: `/api/customers/${validUscc(97)}`, headers: rig.auth('admin') })).statusCode).toBe(404);
    const actions = await rig.t.sql<{ action: string; actor: string }>('select action, actor from audit_log where subject = ? order by id', uscc);
    expect(actions).toEqual([
      { action: 'customer.add', actor: 'token:admin-1' },
      { action: 'customer.add', actor: 'token:admin-1' },
      { action: 'customer.remove', actor: 'token:admin-1' },
      { action: 'customer.remove', actor: 'token:admin-1' },
    ]);
  });

  it('imports a CSV with the per-row report of the CLI: 422 when a row is rejected, the good rows kept', async () => {
    const csv = `uscc,name,tags\n${validUscc(4)},丁公司,a;b\nbad-code,坏行\n`;
    const response = await rig.app.inject({ method: 'POST', url: '/api/customers/import', headers: { ...rig.auth('admin'), 'content-type': 'text/csv' }, payload: csv });
    expect(response.statusCode).toBe(422);
    const report = response.json<{ imported: number; rejected: number; rows: Array<{ line: number; kind: string; text: string }> }>();
    expect(report).toMatchObject({ imported: 1, created: 1, rejected: 1, encoding: 'utf-8' });
    expect(report.rows).toEqual([{ line: 3, kind: 'rejected', text: expect.stringMatching(/^rejected line 3: /) }]);
    expect((await rig.t.repos.customers.findByUscc(validUscc(4)))?.tags).toEqual(['a', 'b']);
    const empty = await rig.app.inject({ method: 'POST', url: '/api/customers/import', headers: { ...rig.auth('admin'), 'content-type': 'text/csv' }, payload: 'nothing here\n' });
    expect(empty.statusCode).toBe(400);
    const json = await rig.app.inject({ method: 'POST', url: '/api/customers/import', headers: rig.auth('admin'), payload: { csv: 'x' } });
    expect(json.statusCode).toBe(400);
  });

  it('lists events newest first with filters, and acknowledges one idempotently, with its case', async () => {
    const page = (await get('/api/events')).json<{ events: Array<{ id: string; caseId?: string }>; total: number; next: string | null }>();
    expect(page.total).toBeGreaterThanOrEqual(3);
    expect(page.events[0]?.id).toMatch(/case\.opened$|^evt-name$/);
    const high = (await get('/api/events?tier=high')).json<typeof page>();
    expect(high.events.map((e) => e.id)).toEqual(['evt-listed']);

    const ack = await post('/api/events/evt-listed/ack', { note: '已电话核实' });
    expect(ack.statusCode).toBe(200);
    const body = ack.json<{ outcome: string; acknowledgedBy: string; acknowledgedAt: string; case: { id: string; outcome: string; state: string } }>();
    expect(body).toMatchObject({ outcome: 'acknowledged', acknowledgedBy: 'analyst-1', note: '已电话核实', case: { outcome: 'acknowledged', state: 'acknowledged' } });
    const again = (await post('/api/events/evt-listed/ack', { by: 'someone else' })).json<typeof body>();
    expect(again).toMatchObject({ outcome: 'already_acknowledged', acknowledgedBy: 'analyst-1', acknowledgedAt: body.acknowledgedAt, case: { outcome: 'unchanged' } });
    const unacked = (await get('/api/events?acknowledged=false&tier=high')).json<typeof page>();
    expect(unacked.events).toEqual([]);
    expect((await post('/api/events/nope/ack', {})).statusCode).toBe(404);
    const audit = await rig.t.sql<{ actor: string }>("select actor from audit_log where action = 'event.ack'");
    expect(audit).toEqual([{ actor: 'token:analyst-1' }]);
  });

  it('lists cases and walks one from open to resolved; a second resolve is a 409', async () => {
    const list = (await get('/api/cases')).json<{ cases: Array<{ id: string; state: string }>; total: number; next: string | null }>();
    expect(list.total).toBe(1);
    const id = list.cases[0]?.id ?? '';
    expect((await get(`/api/cases?state=resolved`)).json()).toMatchObject({ cases: [], total: 0, next: null });
    expect((await get(`/api/cases/${id}`)).json()).toMatchObject({ id, state: 'open', events: expect.any(Array), audit: expect.any(Array) });
    expect((await get('/api/cases/C-none')).statusCode).toBe(404);

    expect((await post(`/api/cases/${id}/ack`, {})).json()).toMatchObject({ outcome: 'done', case: { state: 'acknowledged', acknowledgedBy: 'analyst-1' } });
    expect((await post(`/api/cases/${id}/assign`, { assignee: '王法务' })).json()).toMatchObject({ outcome: 'done', case: { assignee: '王法务' } });
    expect((await post(`/api/cases/${id}/resolve`, { decision: 'cancel', note: 'x' })).statusCode).toBe(400);
    expect((await post(`/api/cases/${id}/resolve`, { decision: 'restrict' })).statusCode).toBe(400);
    const resolved = await post(`/api/cases/${id}/resolve`, { decision: 'restrict', note: '改为款到发货' });
    expect(resolved.json()).toMatchObject({ outcome: 'done', case: { state: 'resolved', decision: 'restrict', resolvedBy: 'analyst-1' } });
    const again = await post(`/api/cases/${id}/resolve`, { decision: 'terminate', note: 'again' });
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).code).toBe('CONFLICT');
    const actions = (await rig.t.sql<{ action: string; actor: string }>('select action, actor from audit_log where subject = ? order by id', id)).map((a) => `${a.action} ${a.actor}`);
    expect(actions).toEqual(expect.arrayContaining(['case.acknowledged token:analyst-1', 'case.assigned token:analyst-1', 'case.resolved token:analyst-1']));
  });

  it('answers a re-scan with 503 when Redis is down, recording nothing; a bad body is a 400', async () => {
    const down = await post('/api/rescan', { uscc: LISTED });
    expect(down.statusCode).toBe(503);
    expect(errorOf(down).code).toBe('UNAVAILABLE');
    expect(await rig.t.sql('select * from rescan_requests')).toEqual([]);
    expect((await post('/api/rescan', { everything: true })).statusCode).toBe(400);
    expect((await post('/api/rescan', { uscc: validUscc(98) })).statusCode).toBe(404);
  });

  it('reports status like `status --json` (queues null without Redis), and 404s an unknown route as JSON', async () => {
    const status = (await get('/api/status')).json<Record<string, unknown>>();
    expect(status).toMatchObject({ customers: { total: 2 }, queues: null, cases: { open: 1 }, calendar: { lastCoveredYear: expect.any(Number) } });
    const missing = await get('/api/nothing');
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).code).toBe('NOT_FOUND');
  });

  it('describes every route in a valid OpenAPI 3 document, without a token', async () => {
    const response = await rig.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const spec = response.json<{ paths: Record<string, Record<string, unknown>> }>();
    const result = await new Validator().validate(spec);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const routes = Object.entries(spec.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    expect(routes.sort()).toEqual([
      'DELETE /api/customers/{uscc}',
      'GET /api/cases',
      'GET /api/cases/{id}',
      'GET /api/customers',
      'GET /api/customers/{uscc}',
      'GET /api/events',
      'GET /api/status',
      'POST /api/cases/{id}/ack',
      'POST /api/cases/{id}/assign',
      'POST /api/cases/{id}/resolve',
      'POST /api/customers',
      'POST /api/customers/import',
      'POST /api/events/{id}/ack',
      'POST /api/rescan',
    ]);
  });
});
