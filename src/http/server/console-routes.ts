/**
 * The web console: server-rendered pages (src/http/console/) behind a signed session cookie. Every
 * post carries the session's CSRF token; every action checks the role again, whatever the page
 * showed; customer pages are audited reads.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { verifyToken } from '../../app/api-tokens.js';
import { acknowledgeCase, assignCase, resolveCase } from '../../app/case-workflow.js';
import { toCaseDetailView, toCaseView } from '../../app/case-view.js';
import { roleAllows, type Role } from '../../domain/api-tokens.js';
import { CASE_DECISIONS, CASE_STATES, type CaseDecision, type CaseState } from '../../domain/cases.js';
import { TIERS, type Tier } from '../../domain/events.js';
import { GRADES, type Grade } from '../../domain/grades.js';
import { calendarWarning, longestDeadlineDays } from '../../domain/case-deadlines.js';
import { parseUscc } from '../../domain/uscc.js';
import { AppError } from '../../errors.js';
import { calendarFrom, createCaseWorkflowDeps } from '../../wiring/check-deps.js';
import {
  CONSOLE_CSS,
  DEFAULT_LANG,
  importReportView,
  isLang,
  renderCase,
  renderCases,
  renderCustomer,
  renderCustomers,
  renderError,
  renderImport,
  renderInbox,
  renderInboxRow,
  renderLogin,
  renderOverview,
  renderSettings,
  type InboxState,
  type Lang,
  type OverviewData,
  type PageContext,
} from '../console/index.js';
import { ackEvent, importCsv, rescan, viewCustomer } from './actions.js';
import { toApiError } from './api-errors.js';
import { actorOf, csrfMatches, csrfToken, givenCsrf, LOGIN_COOKIE, principalFromSession, SESSION_COOKIE, sessionValue, type AuthDeps, type Principal } from './auth.js';
import type { ServerDeps } from './server-deps.js';

const LANG_COOKIE = 'cm_lang';
const NOTICE_COOKIE = 'cm_notice';
const DAY_MS = 86_400_000;
const PAGE_SIZE = 50;
/** How old the overview's figures may be (they are shared by every viewer of one `serve`). */
const OVERVIEW_MAX_AGE_MS = 10_000;

const HTMX_JS = readFileSync(createRequire(import.meta.url).resolve('htmx.org/dist/htmx.min.js'), 'utf8');

/** No script, style or frame from anywhere else; forms post only here. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

declare module 'fastify' {
  interface FastifyRequest {
    session?: { principal: Principal; value: string };
  }
}

type Query = Record<string, string | string[] | undefined>;

const one = (value: string | string[] | undefined): string | undefined => {
  const v = Array.isArray(value) ? value[0] : value;
  return v === undefined || v.trim() === '' ? undefined : v.trim();
};
const oneOf = <T extends string>(values: readonly T[], value: string | undefined): T | undefined =>
  value !== undefined && (values as readonly string[]).includes(value) ? (value as T) : undefined;
const queryString = (request: FastifyRequest): string => request.url.split('?')[1] ?? '';
const pathOf = (request: FastifyRequest): string => request.url.split('?')[0] ?? '/';

export function registerConsoleRoutes(app: FastifyInstance, deps: ServerDeps, auth: AuthDeps): void {
  const { repos } = deps.store;
  const ttl = deps.sessionTtlMs ?? 8 * 3_600_000;
  const workflow = () => createCaseWorkflowDeps(deps.config, deps.store, () => deps.clock());

  const langOf = (request: FastifyRequest, reply: FastifyReply): Lang => {
    const asked = one((request.query as Query).lang);
    if (asked !== undefined && isLang(asked)) {
      void reply.setCookie(LANG_COOKIE, asked, { path: '/', httpOnly: true, sameSite: 'strict', maxAge: 365 * 86_400 });
      return asked;
    }
    const kept = request.cookies[LANG_COOKIE];
    return kept !== undefined && isLang(kept) ? kept : DEFAULT_LANG;
  };

  const context = (request: FastifyRequest, reply: FastifyReply): PageContext => {
    const session = request.session;
    if (session === undefined) throw new Error('a console page without a session');
    const notice = request.cookies[NOTICE_COOKIE];
    if (notice !== undefined) void reply.clearCookie(NOTICE_COOKIE, { path: '/' });
    return {
      lang: langOf(request, reply),
      role: session.principal.role,
      tokenName: session.principal.name,
      csrfToken: csrfToken(auth.sessionKey, 'session', session.value),
      path: pathOf(request),
      query: queryString(request),
      ...(notice === undefined ? {} : { notice: notice.slice(0, 300) }),
    };
  };

  const html = (reply: FastifyReply, body: string, status = 200): FastifyReply =>
    reply.code(status).header('content-security-policy', CSP).header('x-content-type-options', 'nosniff').header('referrer-policy', 'same-origin').header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);

  /** After a post: back to a page (303, so a reload does not post again), with a one-line notice. */
  const back = (reply: FastifyReply, to: string, notice?: string): FastifyReply => {
    if (notice !== undefined) void reply.setCookie(NOTICE_COOKIE, notice, { path: '/', httpOnly: true, sameSite: 'strict', maxAge: 60 });
    return reply.code(303).header('location', to).send();
  };

  const errorPage = (request: FastifyRequest, reply: FastifyReply, status: number, message: string): FastifyReply => {
    const lang = langOf(request, reply);
    const ctx = request.session === undefined ? { lang, path: pathOf(request), query: queryString(request) } : context(request, reply);
    return html(reply, renderError(ctx, status, message), status);
  };

  // Console pages: a session, then the route's role; posts also need the session's CSRF token.
  const guard = (role: Role) => async (request: FastifyRequest, reply: FastifyReply) => {
    const found = await principalFromSession(auth, request);
    if (found === undefined) {
      if (request.method === 'GET') return reply.code(303).header('location', `/login?next=${encodeURIComponent(request.url)}`).send();
      return errorPage(request, reply, 401, 'sign in again');
    }
    request.session = { principal: found.principal, value: found.session };
    if (!roleAllows(found.principal.role, role)) return errorPage(request, reply, 403, `needs the ${role} role`);
    // The import form's token is among its multipart parts: that route checks it there. Nowhere else
    // does a multipart post pass without a token in its header.
    const checkedByRoute = request.routeOptions.url === '/import' && request.isMultipart();
    if (request.method === 'POST' && !checkedByRoute && !csrfMatches(auth.sessionKey, 'session', found.session, givenCsrf(request))) {
      return errorPage(request, reply, 403, 'the form is stale or was not sent from the console; reload the page');
    }
    return undefined;
  };
  const viewer = { preHandler: guard('viewer') };
  const analyst = { preHandler: guard('analyst') };
  const admin = { preHandler: guard('admin') };

  /** Runs an action; a failure the user can act on becomes a notice, the rest an error page. */
  const act = async (_request: FastifyRequest, reply: FastifyReply, to: string, action: () => Promise<string>): Promise<FastifyReply> => {
    let notice: string;
    try {
      notice = await action();
    } catch (error) {
      const failure = toApiError(error);
      if (failure.status >= 500 && failure.status !== 503) throw error;
      notice = failure.message;
    }
    return back(reply, to, notice);
  };

  app.get('/assets/htmx.min.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(HTMX_JS));
  app.get('/assets/console.css', async (_request, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(CONSOLE_CSS));

  // Sign-in: a token once, then a session cookie. The form's CSRF token is tied to a nonce cookie.
  const loginPage = (request: FastifyRequest, reply: FastifyReply, status: number, error?: string): FastifyReply => {
    const nonce = randomBytes(16).toString('base64url');
    void reply.setCookie(LOGIN_COOKIE, nonce, { path: '/login', httpOnly: true, sameSite: 'strict' });
    const lang = langOf(request, reply);
    const next = consolePath(one((request.query as Query).next) ?? one(((request.body ?? {}) as Query).next));
    return html(reply, renderLogin({ lang, csrfToken: csrfToken(auth.sessionKey, 'login', nonce), query: queryString(request), ...(next === undefined ? {} : { next }), ...(error === undefined ? {} : { error }) }), status);
  };
  app.get('/login', async (request, reply) => loginPage(request, reply, 200));
  app.post('/login', { config: { rateLimit: { max: deps.loginAttemptsPerMinute ?? 10, timeWindow: 60_000 } } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const nonce = request.cookies[LOGIN_COOKIE];
    if (nonce === undefined || !csrfMatches(auth.sessionKey, 'login', nonce, body._csrf)) return loginPage(request, reply, 403, 'the sign-in form expired; try again');
    const record = typeof body.token === 'string' ? await verifyToken(body.token.trim(), { tokens: auth.tokens, clock: () => deps.clock() }) : undefined;
    if (record === undefined) return loginPage(request, reply, 401, 'this token is not valid (or was revoked)');
    const expiresAt = deps.clock() + ttl;
    void reply.clearCookie(LOGIN_COOKIE, { path: '/login' });
    void reply.setCookie(SESSION_COOKIE, sessionValue(record.id, expiresAt), {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      signed: true,
      secure: request.protocol === 'https',
      expires: new Date(expiresAt),
    });
    await repos.auditLog.record({ actor: `token:${record.name}`, action: 'console.sign_in', subject: record.name, details: {} }, deps.clock());
    const next = consolePath(typeof body.next === 'string' ? body.next : one((request.query as Query).next));
    return reply.code(303).header('location', next ?? '/').send();
  });
  app.post('/logout', viewer, async (_request, reply) => {
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(303).header('location', '/login').send();
  });

  // The overview's figures count across the whole store (a million events): gathered at most every
  // OVERVIEW_MAX_AGE_MS per process and shared by everyone looking, so a room full of dashboards costs
  // one gathering, not one each.
  let overview: { at: number; data: Promise<OverviewData> } | undefined;
  const gatherOverview = async (log: FastifyRequest['log']): Promise<OverviewData> => {
    const now = deps.clock();
    const [day, week, month] = await Promise.all([DAY_MS, 7 * DAY_MS, 30 * DAY_MS].map((span) => repos.events.countByTierSince(now - span)));
    const counts = await repos.customers.counts(now);
    const failing = await repos.customers.page({ state: 'failing', limit: 10 });
    let today = 0;
    try {
      today = (await (await deps.queueClient()).providerCallsToday()).total;
    } catch (error) {
      log.warn({ err: (error as Error).message }, 'provider calls unavailable (Redis down): shown as 0');
    }
    const calendar = calendarFrom(deps.config);
    return {
      eventsByTier: { '24h': day ?? {}, '7d': week ?? {}, '30d': month ?? {} },
      grades: await repos.customers.countByGrade(),
      failing: { count: counts.failing, customers: failing.items.sort((a, b) => b.consecutiveFailures - a.consecutiveFailures) },
      deadDeliveries: await repos.deliveries.countDead(),
      providerCalls: { today, dailyBudget: deps.config.provider.dailyCallBudget },
      cases: await repos.cases.counts(now),
      calendarWarning: calendarWarning(calendar, now, longestDeadlineDays(deps.config.cases.deadlines)) ?? null,
    };
  };
  app.get('/', viewer, async (request, reply) => {
    const now = deps.clock();
    if (overview === undefined || now - overview.at >= OVERVIEW_MAX_AGE_MS || now < overview.at) {
      const data = gatherOverview(request.log);
      overview = { at: now, data };
      // A failed gathering is not kept: the next look tries again.
      data.catch(() => { if (overview?.data === data) overview = undefined; });
    }
    return html(reply, renderOverview(context(request, reply), await overview.data));
  });

  app.get('/inbox', viewer, async (request, reply) => {
    const q = request.query as Query;
    const tier = oneOf<Tier>(TIERS, one(q.tier));
    const state = oneOf<InboxState>(['unacknowledged', 'acknowledged', 'all'], one(q.state)) ?? 'unacknowledged';
    const uscc = one(q.uscc);
    const cursor = one(q.cursor);
    const page = await repos.events.page({
      limit: PAGE_SIZE,
      ...(tier === undefined ? {} : { tier }),
      ...(state === 'all' ? {} : { acknowledged: state === 'acknowledged' }),
      ...(uscc === undefined ? {} : { uscc: parseUscc(uscc).ok ? (parseUscc(uscc) as { uscc: string }).uscc : uscc }),
      ...(cursor === undefined ? {} : { cursor }),
    });
    return html(reply, renderInbox(context(request, reply), { events: page, filter: { state, ...(tier === undefined ? {} : { tier }), ...(uscc === undefined ? {} : { uscc }) } }));
  });

  const idsOf = (body: Record<string, unknown>): string[] => {
    const ids = Array.isArray(body.id) ? body.id : body.id === undefined ? [] : [body.id];
    return [...new Set(ids.filter((id): id is string => typeof id === 'string' && id.trim() !== '').map((id) => id.trim()))].slice(0, 500);
  };
  const noteOf = (body: Record<string, unknown>): string | undefined => (typeof body.note === 'string' && body.note.trim() !== '' ? body.note.trim().slice(0, 2000) : undefined);

  app.post('/inbox/ack', analyst, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const ids = idsOf(body);
    return act(request, reply, '/inbox', async () => {
      let acknowledged = 0;
      for (const id of ids) if ((await ackEvent(deps, principalOf(request), id, { note: noteOf(body) })).event.outcome === 'acknowledged') acknowledged++;
      return context(request, reply).lang === 'en' ? `${String(acknowledged)} event(s) acknowledged` : `已确认 ${String(acknowledged)} 条告警`;
    });
  });

  app.post('/events/:id/ack', analyst, async (request, reply) => {
    const { id } = request.params as { id: string };
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (request.headers['hx-request'] !== 'true') {
      return act(request, reply, '/inbox', async () => {
        await ackEvent(deps, principalOf(request), id, { note: noteOf(body) });
        return context(request, reply).lang === 'en' ? `${id} acknowledged` : `${id} 已确认`;
      });
    }
    await ackEvent(deps, principalOf(request), id, {});
    const [event] = await repos.events.query({ id, limit: 1 });
    if (event === undefined) throw new AppError('NOT_FOUND', `no event ${id}`);
    return html(reply, renderInboxRow(context(request, reply), event));
  });

  app.get('/cases', viewer, async (request, reply) => {
    const q = request.query as Query;
    const now = deps.clock();
    const state = oneOf<CaseState>(CASE_STATES, one(q.state));
    const overdue = one(q.overdue) === '1' || one(q.overdue) === 'true';
    const cursor = one(q.cursor);
    const filter = { ...(state === undefined ? {} : { state }), ...(overdue ? { overdueAt: now } : {}) };
    const records = await repos.cases.list({ ...filter, limit: PAGE_SIZE + 1, ...(cursor === undefined ? {} : { before: cursor }) });
    const shown = records.slice(0, PAGE_SIZE);
    return html(reply, renderCases(context(request, reply), {
      cases: { items: shown.map((r) => toCaseView(r, now)), next: records.length > PAGE_SIZE ? (shown.at(-1)?.id ?? null) : null, total: await repos.cases.count(filter) },
      filter: { ...(state === undefined ? {} : { state }), ...(overdue ? { overdue } : {}) },
    }));
  });

  app.get('/cases/:id', viewer, async (request, reply) => {
    const detail = await repos.cases.detail((request.params as { id: string }).id);
    if (detail === undefined) return errorPage(request, reply, 404, 'no such case');
    return html(reply, renderCase(context(request, reply), toCaseDetailView(detail, deps.clock())));
  });

  const caseAction = (name: 'ack' | 'assign' | 'resolve') =>
    app.post(`/cases/:id/${name}`, analyst, async (request, reply) => {
      const { id } = request.params as { id: string };
      const body = (request.body ?? {}) as Record<string, unknown>;
      const principal = principalOf(request);
      const en = context(request, reply).lang === 'en';
      return act(request, reply, `/cases/${encodeURIComponent(id)}`, async () => {
        const done =
          name === 'ack'
            ? await acknowledgeCase(workflow(), id, principal.name, noteOf(body) ?? null, actorOf(principal))
            : name === 'assign'
              ? await assignCase(workflow(), id, requiredText(body.assignee, en ? 'assignee' : '负责人'), actorOf(principal))
              : await resolveCase(workflow(), id, { by: principal.name, decision: decisionOf(body.decision), note: requiredText(body.note, en ? 'note' : '处理说明'), actor: actorOf(principal) });
        if (done.outcome === 'refused') return done.reason;
        if (done.outcome === 'unchanged') return en ? 'nothing changed' : '没有变化';
        return en ? `case ${done.case.state}` : '案件已更新';
      });
    });
  caseAction('ack');
  caseAction('assign');
  caseAction('resolve');

  app.get('/customers', viewer, async (request, reply) => {
    const q = request.query as Query;
    const grade = oneOf<Grade>(GRADES, one(q.grade));
    const tier = oneOf<Tier>(TIERS, one(q.tier));
    const state = oneOf(['monitored', 'paused', 'failing', 'removed'] as const, one(q.state));
    const search = one(q.search)?.slice(0, 200);
    const tag = one(q.tag)?.slice(0, 100);
    const cursor = one(q.cursor);
    const filter = { ...(grade === undefined ? {} : { grade }), ...(tier === undefined ? {} : { tier }), ...(state === undefined ? {} : { state }), ...(search === undefined ? {} : { search }), ...(tag === undefined ? {} : { tag }) };
    const page = await repos.customers.page({ ...filter, limit: PAGE_SIZE, ...(cursor === undefined ? {} : { cursor }) });
    return html(reply, renderCustomers(context(request, reply), { customers: page, filter }));
  });

  app.get('/customers/:uscc', viewer, async (request, reply) => {
    const parsed = parseUscc((request.params as { uscc: string }).uscc);
    if (!parsed.ok) return errorPage(request, reply, 404, 'no such customer');
    const record = await repos.customers.findByUscc(parsed.uscc);
    if (record === undefined) return errorPage(request, reply, 404, 'no such customer');
    const view = await viewCustomer(deps, principalOf(request), parsed.uscc, 'console');
    return html(reply, renderCustomer(context(request, reply), { ...view, customer: record }));
  });

  app.post('/customers/:uscc/rescan', analyst, async (request, reply) => {
    const parsed = parseUscc((request.params as { uscc: string }).uscc);
    if (!parsed.ok) return errorPage(request, reply, 404, 'no such customer');
    const en = context(request, reply).lang === 'en';
    return act(request, reply, `/customers/${parsed.uscc}`, async () => {
      await rescan(deps, principalOf(request), { kind: 'uscc', uscc: parsed.uscc }, false);
      return en ? 're-scan queued' : '已加入重新检查队列';
    });
  });

  app.get('/import', admin, async (request, reply) => html(reply, renderImport(context(request, reply), {})));
  app.post('/import', admin, async (request, reply) => {
    const ctx = context(request, reply);
    if (!request.isMultipart()) return errorPage(request, reply, 400, 'send the form as multipart/form-data');
    let csrf: unknown;
    let file: { name: string; bytes: Buffer } | undefined;
    for await (const part of request.parts()) {
      if (part.type === 'field' && part.fieldname === '_csrf') csrf = part.value;
      else if (part.type === 'file' && part.fieldname === 'file') file = { name: part.filename || 'upload.csv', bytes: await part.toBuffer() };
    }
    if (!csrfMatches(auth.sessionKey, 'session', sessionOf(request).value, csrf)) return errorPage(request, reply, 403, 'the form is stale or was not sent from the console; reload the page');
    if (file === undefined || file.bytes.length === 0) return html(reply, renderImport({ ...ctx, notice: ctx.lang === 'en' ? 'choose a CSV file first' : '请先选择 CSV 文件' }, {}), 400);
    let summary: Awaited<ReturnType<typeof importCsv>>;
    try {
      summary = await importCsv(deps, principalOf(request), file.bytes, file.name);
    } catch (error) {
      const failure = toApiError(error);
      if (failure.status >= 500) throw error;
      return html(reply, renderImport({ ...ctx, notice: failure.message }, {}), failure.status);
    }
    const notice = summary.encoding === 'gbk' ? 'GBK' : 'UTF-8';
    return html(reply, renderImport({ ...ctx, notice }, { report: importReportView(file.name, summary) }), summary.rejected.length > 0 ? 422 : 200);
  });

  app.get('/settings', viewer, async (request, reply) => {
    const c = deps.config;
    return html(reply, renderSettings(context(request, reply), {
      provider: { kind: c.provider.kind, url: c.provider.url ?? null, sections: c.provider.sections, ratePerSecond: c.provider.ratePerSecond, timeoutMs: c.provider.timeoutMs, dailyCallBudget: c.provider.dailyCallBudget },
      webhooks: c.webhookTargets.map((t) => ({ name: t.name, url: t.url })),
      email: {
        configured: c.mail.smtpUrl !== undefined && c.mail.from !== undefined,
        recipients: c.mail.to.length,
        immediateTiers: [...c.routing.email.immediateTiers],
        digestTiers: [...c.routing.email.digestTiers],
        digestTime: c.digestTime,
      },
      schedule: { intervalMs: c.scanIntervalMs, cron: c.scanCron ?? null, byGradeMs: c.scheduleByGradeMs },
      casesOpenAt: c.cases.openAt,
      language: c.language,
    }));
  });
}

/** A path of this console to go to after sign-in; never another site (`//host`, `/\\host`, a scheme). */
function consolePath(value: string | undefined): string | undefined {
  return value !== undefined && /^\/(?![/\\])/.test(value) && !value.startsWith('/login') ? value.slice(0, 500) : undefined;
}

function sessionOf(request: FastifyRequest): { principal: Principal; value: string } {
  if (request.session === undefined) throw new Error('a console route without its session guard');
  return request.session;
}

const principalOf = (request: FastifyRequest): Principal => sessionOf(request).principal;

function requiredText(value: unknown, name: string): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') throw new AppError('USAGE', `${name}: required`);
  return text.slice(0, 2000);
}

function decisionOf(value: unknown): CaseDecision {
  if (typeof value === 'string' && (CASE_DECISIONS as readonly string[]).includes(value)) return value as CaseDecision;
  throw new AppError('USAGE', `decision: expected one of ${CASE_DECISIONS.join(', ')}`);
}
