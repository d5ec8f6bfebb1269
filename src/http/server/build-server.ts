/**
 * The Fastify app of `credit-monitor serve`: the JSON API on `/api/*` (bearer tokens), the console
 * (a signed session cookie, CSRF tokens on every post), `/api/openapi.json`, `/healthz`, `/readyz`.
 * Logs through the daemon's pino. Built without listening, so tests can `inject()`.
 */
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { sendApiError, toApiError } from './api-errors.js';
import { registerApiRoutes } from './api-routes.js';
import { allowed, principalFromBearer, type AuthDeps } from './auth.js';
import { registerConsoleRoutes } from './console-routes.js';
import type { ServerDeps } from './server-deps.js';

/** A CSV import may be this large (the CLI takes 50 MB files; so does the API). */
const CSV_BODY_LIMIT = 64 * 1024 * 1024;

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // Our pino instance; Fastify's logger type is a narrower view of the same thing.
    loggerInstance: deps.logger as unknown as FastifyBaseLogger,
    trustProxy: false,
    bodyLimit: 1024 * 1024,
    // A path parameter (a code, an event or case id) is short; anything longer is an attack or a mistake.
    routerOptions: { maxParamLength: 200 },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(cookie, { secret: deps.sessionKey });
  await app.register(formbody);
  await app.register(multipart, { limits: { fileSize: CSV_BODY_LIMIT, files: 1, fields: 10 } });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'credit-monitor API', version: '1', description: 'Customers, events, cases and re-scans of credit-monitor (DESIGN "HTTP API and web console").' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'a token from `credit-monitor tokens create`' } } },
    },
    transform: jsonSchemaTransform,
    // The console's pages and forms are not the API.
    hideUntagged: true,
  });
  app.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'buffer', bodyLimit: CSV_BODY_LIMIT }, (_request, body, done) => { done(null, body); });

  const auth: AuthDeps = { tokens: deps.store.repos.tokens, clock: () => deps.clock(), sessionKey: deps.sessionKey };

  // The API: a bearer token on every route but the description of the API itself.
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/') || request.url.startsWith('/api/openapi.json')) return;
    const principal = await principalFromBearer(auth, request.headers.authorization);
    if (principal === undefined) {
      void reply.header('www-authenticate', 'Bearer realm="credit-monitor"');
      return sendApiError(reply, toApiError({ statusCode: 401, message: 'a valid bearer token is required (credit-monitor tokens create)' }));
    }
    request.principal = principal;
    if (!allowed(principal, request.routeOptions.config.role)) {
      return sendApiError(reply, toApiError({ statusCode: 403, message: `needs the ${request.routeOptions.config.role ?? 'admin'} role; this token is ${principal.role}` }));
    }
    return undefined;
  });

  app.setErrorHandler((error, request, reply) => {
    const failure = toApiError(error);
    if (failure.status >= 500) request.log.error({ err: error }, 'request failed');
    if (request.url.startsWith('/api/')) return sendApiError(reply, failure);
    return reply.code(failure.status).type('text/plain; charset=utf-8').send(`${String(failure.status)} ${failure.message}`);
  });
  app.setNotFoundHandler((request, reply) => {
    const failure = toApiError({ statusCode: 404, message: `no route ${request.method} ${request.url.split('?')[0] ?? ''}` });
    if (request.url.startsWith('/api/')) return sendApiError(reply, failure);
    return reply.code(404).type('text/plain; charset=utf-8').send('404 not found');
  });

  app.get('/healthz', () => Promise.resolve({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await deps.store.ping();
      return { status: 'ready' };
    } catch (error) {
      return reply.code(503).send({ status: 'unavailable', reason: (error as Error).message });
    }
  });

  registerApiRoutes(app, deps);
  app.get('/api/openapi.json', () => Promise.resolve(app.swagger()));
  registerConsoleRoutes(app, deps, auth);
  return app;
}
