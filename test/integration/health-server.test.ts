import { pino } from 'pino';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startHealthServer, type HealthServer, type HealthServerOptions, type Readiness } from '../../src/http/health-server.js';
import { createMetrics, type QueueDepthSample } from '../../src/http/metrics.js';

const logger = pino({ level: 'silent' });
const READY: Readiness = { ready: true, checks: { redis: { ok: true }, sqlite: { ok: true } } };

describe('startHealthServer', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start(overrides: Partial<HealthServerOptions> = {}): Promise<HealthServer> {
    const server = await startHealthServer({
      port: 'ephemeral',
      host: '127.0.0.1',
      metrics: createMetrics(),
      readiness: () => Promise.resolve(READY),
      logger,
      ...overrides,
    });
    if (server === undefined) throw new Error('server not started');
    cleanups.push(() => server.close());
    return server;
  }

  async function get(server: HealthServer, path: string, method: 'GET' | 'HEAD' | 'POST' = 'GET') {
    const response = await request(`${server.url}${path}`, { method });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, text };
  }

  it('does not start when the port is 0 (CM_HTTP_PORT=0)', async () => {
    const server = await startHealthServer({ port: 0, metrics: createMetrics(), readiness: () => Promise.resolve(READY), logger });
    expect(server).toBeUndefined();
  });

  it('answers /healthz while the process is up, also to HEAD', async () => {
    const server = await start();
    expect(await get(server, '/healthz')).toMatchObject({ status: 200, text: '{"status":"ok"}' });
    const head = await get(server, '/healthz', 'HEAD');
    expect(head).toMatchObject({ status: 200, text: '' });
    expect(head.headers['content-length']).toBe(String('{"status":"ok"}'.length));
    expect(head.headers['cache-control']).toBe('no-store');
  });

  it('answers 404 for unknown paths and 405 for other methods', async () => {
    const server = await start();
    expect((await get(server, '/nope')).status).toBe(404);
    const post = await get(server, '/healthz', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('reports readiness as the callback decides: 200, then 503 with the checks', async () => {
    let readiness: Readiness = READY;
    const server = await start({ readiness: () => Promise.resolve(readiness) });
    const ok = await get(server, '/readyz?verbose=1');
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text)).toEqual({ status: 'ready', checks: READY.checks });

    readiness = { ready: false, checks: { redis: { ok: false, detail: 'ECONNREFUSED' }, sqlite: { ok: true } } };
    const down = await get(server, '/readyz');
    expect(down.status).toBe(503);
    expect(JSON.parse(down.text)).toEqual({ status: 'not_ready', checks: readiness.checks });
    expect((await get(server, '/readyz', 'HEAD')).status).toBe(503);
  });

  it('reads a throwing readiness callback as 503', async () => {
    const server = await start({ readiness: () => Promise.reject(new Error('sqlite: disk I/O error')) });
    const response = await get(server, '/readyz');
    expect(response.status).toBe(503);
    expect(JSON.parse(response.text)).toEqual({
      status: 'not_ready',
      checks: { readiness: { ok: false, detail: 'sqlite: disk I/O error' } },
    });
  });

  it('reads a hanging readiness callback as 503 after the timeout, without piling up calls', async () => {
    let calls = 0;
    const server = await start({
      readinessTimeoutMs: 200,
      readiness: () => {
        calls++;
        return new Promise<Readiness>(() => undefined); // never settles
      },
    });
    const started = Date.now();
    const responses = await Promise.all([get(server, '/readyz'), get(server, '/readyz'), get(server, '/readyz')]);
    expect(Date.now() - started).toBeLessThan(2000);
    for (const response of responses) {
      expect(response.status).toBe(503);
      expect(response.text).toContain('timed out after 200 ms');
    }
    expect(calls).toBe(1);
  });

  it('serves the Prometheus text with every series the design names', async () => {
    const depth: QueueDepthSample[] = [
      { queue: 'scan', state: 'waiting', count: 7 },
      { queue: 'deliver', state: 'failed', count: 2 },
    ];
    const metrics = createMetrics({ queueDepth: () => Promise.resolve(depth) });
    metrics.checkFinished('changed', 0.3);
    metrics.providerRequest('mock', 'registration', 'ok');
    metrics.providerRequest('mock', 'abnormalOperations', 'rate_limited');
    metrics.eventRecorded('serious_violation.listed', 'critical');
    metrics.delivery('webhook', 'sent');
    const server = await start({ metrics });

    const response = await get(server, '/metrics');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = response.text;
    expect(text).toContain('credit_monitor_checks_total{result="changed"} 1');
    expect(text).toContain('credit_monitor_checks_total{result="unknown_customer"} 0');
    expect(text).toContain('credit_monitor_check_duration_seconds_bucket{le="0.5"} 1');
    expect(text).toContain('credit_monitor_check_duration_seconds_bucket{le="0.01"} 0');
    expect(text).toContain('credit_monitor_check_duration_seconds_bucket{le="30"} 1');
    expect(text).toContain('credit_monitor_provider_requests_total{provider="mock",section="abnormalOperations",outcome="rate_limited"} 1');
    expect(text).toContain('credit_monitor_events_total{type="serious_violation.listed",tier="critical"} 1');
    expect(text).toContain('credit_monitor_deliveries_total{channel="webhook",result="sent"} 1');
    expect(text).toContain('credit_monitor_queue_depth{queue="scan",state="waiting"} 7');
    expect(text).toContain('credit_monitor_queue_depth{queue="deliver",state="failed"} 2');
    expect(text).toContain('process_cpu_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');

    // On the next scrape a state that vanished from the counts is gone, not stale.
    depth.splice(1);
    expect((await get(server, '/metrics')).text).not.toContain('state="failed"');
  });

  it('still serves /metrics when queue depths cannot be read in time', async () => {
    const metrics = createMetrics({ queueDepth: () => new Promise(() => undefined), queueDepthTimeoutMs: 100 });
    const server = await start({ metrics });
    const response = await get(server, '/metrics');
    expect(response.status).toBe(200);
    expect(response.text).toContain('# TYPE credit_monitor_queue_depth gauge');
    expect(response.text).not.toContain('credit_monitor_queue_depth{');
  });

  it('says which store the process uses, when told', async () => {
    expect(await createMetrics({ storeDialect: 'postgres' }).render()).toContain('credit_monitor_store_info{dialect="postgres"} 1');
    const sqlite = await createMetrics({ storeDialect: 'sqlite' }).render();
    expect(sqlite).toContain('credit_monitor_store_info{dialect="sqlite"} 1');
    expect(sqlite).not.toContain('dialect="postgres"');
    expect(await createMetrics().render()).not.toContain('credit_monitor_store_info');
  });

  it('keeps two instances apart (no global registry)', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.delivery('email', 'dead');
    expect(await a.render()).toContain('credit_monitor_deliveries_total{channel="email",result="dead"} 1');
    expect(await b.render()).not.toContain('channel="email"');
  });

  it('closes promptly although a keep-alive connection is open', async () => {
    const server = await startHealthServer({
      port: 'ephemeral',
      host: '127.0.0.1',
      metrics: createMetrics(),
      readiness: () => Promise.resolve(READY),
      logger,
      closeTimeoutMs: 10_000, // so only closing idle sockets can make this fast
    });
    const agent = new Agent({ keepAliveTimeout: 60_000 });
    cleanups.push(() => agent.close());
    const response = await request(`${server!.url}/healthz`, { dispatcher: agent });
    await response.body.text();
    const started = Date.now();
    await server!.close();
    expect(Date.now() - started).toBeLessThan(1000);
    await server!.close(); // idempotent
  });

  it('refuses a port that is in use with a CONFIG_INVALID naming CM_HTTP_PORT', async () => {
    const first = await start();
    await expect(
      startHealthServer({ port: first.port, host: '127.0.0.1', metrics: createMetrics(), readiness: () => Promise.resolve(READY), logger }),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(/^CM_HTTP_PORT=\d+: .*EADDRINUSE/) });
  });
});
