import { Agent, interceptors } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, type GetJsonResult } from '../../../src/providers/http-client.js';
import { parseRetryAfter } from '../../../src/outbound-http/retry-after.js';
import { startTestHttpServer, type TestHttpServer } from '../../helpers/test-http-server.js';

let server: TestHttpServer;

beforeAll(async () => {
  server = await startTestHttpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    switch (url.pathname) {
      case '/json':
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ code: 0, data: { name: '示例' } }));
        return;
      case '/no-content-type':
        res.end('{"code":0}');
        return;
      case '/bad-request':
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end('{"code":400,"message":"参数错误"}');
        return;
      case '/redirect':
        res.writeHead(301, { location: '/json' });
        res.end();
        return;
      case '/html':
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body>维护中</body></html>');
        return;
      case '/gbk':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(Buffer.from([0x7b, 0x22, 0xb9, 0xab, 0xcb, 0xbe, 0x22, 0x3a, 0x31, 0x7d])); // {"公司":1} in GBK
        return;
      case '/rate-limited-until':
        res.writeHead(429, { 'retry-after': new Date(Date.now() + 60_000).toUTCString() });
        res.end();
        return;
      case '/drip': {
        res.writeHead(200, { 'content-type': 'application/json' });
        const timer = setInterval(() => res.write(' '), 50);
        res.once('close', () => {
          clearInterval(timer);
        });
        return;
      }
      case '/big': // chunked: the limit is found while reading
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ padding: 'x'.repeat(10_000) }));
        return;
      case '/big-declared': {
        const body = JSON.stringify({ padding: 'x'.repeat(10_000) });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
        res.end(body);
        return;
      }
      default:
        res.writeHead(404);
        res.end();
    }
  });
});
afterAll(async () => {
  await server.close();
});

const signal = () => new AbortController().signal;
const errorOf = (result: GetJsonResult) => (result.ok ? undefined : result.error);

describe('createHttpClient().getJson', () => {
  const client = createHttpClient();
  afterAll(async () => {
    await client.close();
  });

  it('returns the parsed body with status and lower-case headers', async () => {
    const result = await client.getJson(`${server.url}/json`, { signal: signal() });
    expect(result).toMatchObject({ ok: true, status: 200, body: { code: 0, data: { name: '示例' } } });
    expect(result.ok && result.headers['content-type']).toContain('application/json');
  });

  it('reads JSON without a content type', async () => {
    expect(await client.getJson(`${server.url}/no-content-type`, { signal: signal() })).toMatchObject({ ok: true, body: { code: 0 } });
  });

  it('returns other 4xx answers with their status so adapters can read the error envelope', async () => {
    expect(await client.getJson(`${server.url}/bad-request`, { signal: signal() })).toMatchObject({
      ok: true,
      status: 400,
      body: { code: 400 },
    });
  });

  it('does not follow redirects', async () => {
    const before = server.requests.filter((path) => path === '/json').length;
    const result = await client.getJson(`${server.url}/redirect`, { signal: signal() });
    expect(errorOf(result)).toMatchObject({ kind: 'invalid_response', message: expect.stringContaining('redirects are not followed') });
    expect(server.requests.filter((path) => path === '/json')).toHaveLength(before);
  });

  it('does not follow redirects even through a dispatcher composed with the redirect interceptor', async () => {
    const agent = new Agent().compose(interceptors.redirect({ maxRedirections: 3 }));
    const viaInterceptor = createHttpClient({ dispatcher: agent });
    try {
      const result = await viaInterceptor.getJson(`${server.url}/redirect`, { signal: signal() });
      expect(errorOf(result)).toMatchObject({ kind: 'invalid_response' });
    } finally {
      await viaInterceptor.close();
      await agent.close();
    }
  });

  it.each([
    { path: '/html', kind: 'invalid_response', message: 'HTML page' },
    { path: '/gbk', kind: 'invalid_response', message: 'not UTF-8' },
    { path: '/missing', kind: 'invalid_response', message: 'empty body' },
  ])('maps $path to $kind', async ({ path, kind, message }) => {
    const result = await client.getJson(`${server.url}${path}`, { signal: signal() });
    expect(errorOf(result)).toMatchObject({ kind, message: expect.stringContaining(message) });
  });

  it('reads an HTTP-date Retry-After as a wait in ms', async () => {
    const error = errorOf(await client.getJson(`${server.url}/rate-limited-until`, { signal: signal() }));
    expect(error?.kind).toBe('rate_limited');
    expect(error?.retryAfterMs).toBeGreaterThan(55_000);
    expect(error?.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('refuses a body over maxBodyBytes, declared or streamed', async () => {
    const small = createHttpClient({ maxBodyBytes: 1000 });
    try {
      for (const path of ['/big', '/big-declared']) {
        const error = errorOf(await small.getJson(`${server.url}${path}`, { signal: signal() }));
        expect(error, path).toMatchObject({ kind: 'invalid_response', message: expect.stringContaining('exceeds the limit of 1000 bytes') });
      }
      expect(await small.getJson(`${server.url}/json`, { signal: signal() }), 'the connection is still usable').toMatchObject({ ok: true });
    } finally {
      await small.close();
    }
  });

  it('gives up on a body that drips past totalTimeoutMs as transient', async () => {
    const strict = createHttpClient({ totalTimeoutMs: 300 });
    try {
      const started = performance.now();
      const error = errorOf(await strict.getJson(`${server.url}/drip`, { signal: signal() }));
      expect(error).toMatchObject({ kind: 'transient', message: expect.stringContaining('within 300 ms') });
      expect(performance.now() - started).toBeLessThan(2000);
    } finally {
      await strict.close();
    }
  });

  it('treats a caller deadline (AbortSignal.timeout) as transient', async () => {
    const error = errorOf(await client.getJson(`${server.url}/drip`, { signal: AbortSignal.timeout(200) }));
    expect(error).toMatchObject({ kind: 'transient', message: expect.stringContaining('deadline') });
  });

  it('rethrows a cancellation by the caller', async () => {
    const shutdown = new AbortController();
    const pending = client.getJson(`${server.url}/drip`, { signal: shutdown.signal });
    await expect.poll(() => server.requests.includes('/drip')).toBe(true);
    const reason = new Error('shutting down');
    shutdown.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await expect(client.getJson(`${server.url}/json`, { signal: shutdown.signal })).rejects.toBe(reason);
  });

  it('maps a refused connection to transient and keeps the query string out of the message', async () => {
    const closed = await startTestHttpServer(() => undefined);
    await closed.close();
    const error = errorOf(await client.getJson(`${closed.url}/v1/x?key=SECRETKEY`, { signal: signal() }));
    expect(error).toMatchObject({ kind: 'transient', message: expect.stringContaining('ECONNREFUSED') });
    expect(error?.message).toContain('/v1/x');
    expect(error?.message).not.toContain('SECRETKEY');
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-27T08:00:00Z');
  it.each([
    { value: '120', ms: 120_000 },
    { value: ' 0 ', ms: 0 },
    { value: 'Fri, 27 Nov 2026 08:00:30 GMT', ms: 30_000 },
    { value: 'Fri, 27 Nov 2026 07:00:00 GMT', ms: 0 },
    { value: 'soon', ms: undefined },
    { value: '1.5', ms: undefined },
    { value: undefined, ms: undefined },
  ])('$value → $ms', ({ value, ms }) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
});
