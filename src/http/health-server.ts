import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { AppError } from '../errors.js';
import type { Metrics } from './metrics.js';

/** One named readiness check, e.g. `redis: { ok: false, detail: 'ECONNREFUSED' }`. */
export interface ReadinessCheck {
  ok: boolean;
  /** One line for the operator; never secrets. */
  detail?: string;
}

/** The caller's verdict: whether to take traffic/work, and the checks behind it. */
export interface Readiness {
  ready: boolean;
  checks: Record<string, ReadinessCheck>;
}

export interface HealthServerOptions {
  /**
   * TCP port: `CM_HTTP_PORT` as configured. `0` means "off" (the design's contract), so nothing is
   * started and {@link startHealthServer} returns undefined. `'ephemeral'` binds a free port chosen
   * by the OS, for tests; read it back from {@link HealthServer.port}.
   */
  port: number | 'ephemeral';
  /**
   * Interface to bind (`CM_HTTP_HOST`). Default `127.0.0.1`: the metrics are not for every host on
   * the network. A container passes `0.0.0.0` so that probes and Prometheus reach it from outside
   * its network namespace.
   */
  host?: string;
  metrics: Metrics;
  /**
   * Decides readiness on each `/readyz` (e.g. Redis and SQLite reachable, worker heartbeat fresher
   * than N seconds). A throw or a hang past `readinessTimeoutMs` reads as not ready.
   */
  readiness: () => Promise<Readiness>;
  /** Longest wait for `readiness`, in ms. Default 2000 (below the usual 5 s probe timeout). */
  readinessTimeoutMs?: number;
  /** On `close()`, how long in-flight requests may finish before their sockets are destroyed, in ms. Default 2000. */
  closeTimeoutMs?: number;
  logger: Logger;
}

export interface HealthServer {
  /** The bound port (the OS's choice for `'ephemeral'`). */
  readonly port: number;
  /** Base URL for local clients, e.g. `http://127.0.0.1:9464` (a wildcard host is given as loopback). */
  readonly url: string;
  /** Stops listening, closes idle keep-alive sockets at once and the rest after `closeTimeoutMs`. Idempotent. */
  close(): Promise<void>;
}

const JSON_TYPE = 'application/json; charset=utf-8';

function send(res: ServerResponse, status: number, contentType: string, body: string, head: boolean): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(head ? undefined : body);
}

function timeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`readiness check timed out after ${ms} ms`));
    }, ms);
  });
  return Promise.race([promise, expired]).finally(() => {
    clearTimeout(timer);
  });
}

/**
 * Calls `readiness` at most once per `timeoutMs` however often probes arrive, so a hanging check
 * (Redis away) cannot pile up calls; every probe still gets an answer within `timeoutMs`.
 */
function createReadinessEvaluator(readiness: () => Promise<Readiness>, timeoutMs: number, logger: Logger): () => Promise<Readiness> {
  let inFlight: { promise: Promise<Readiness>; startedAt: number } | undefined;
  let wasReady: boolean | undefined;
  return async () => {
    const now = Date.now();
    if (inFlight === undefined || now - inFlight.startedAt >= timeoutMs) {
      const entry = { promise: Promise.resolve().then(readiness), startedAt: now };
      inFlight = entry;
      const settled = (): void => {
        if (inFlight === entry) inFlight = undefined;
      };
      entry.promise.then(settled, settled);
    }
    let result: Readiness;
    try {
      result = await timeout(inFlight.promise, timeoutMs);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      result = { ready: false, checks: { readiness: { ok: false, detail } } };
    }
    // Log the flips, not every probe.
    if (result.ready !== wasReady) {
      if (result.ready) logger.info('ready');
      else logger.warn({ checks: result.checks }, 'not ready');
      wasReady = result.ready;
    }
    return result;
  };
}

/**
 * Serves `/healthz` (200 while the process is up), `/readyz` (200 or 503 with the checks as JSON)
 * and `/metrics` (Prometheus text) over GET and HEAD; 404 elsewhere, 405 for other methods.
 * Resolves once listening, or to undefined when `port` is 0. A port in use is a `CONFIG_INVALID`.
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer | undefined> {
  if (options.port === 0) return undefined;
  const { metrics, logger, host = '127.0.0.1', closeTimeoutMs = 2000 } = options;
  const evaluate = createReadinessEvaluator(options.readiness, options.readinessTimeoutMs ?? 2000, logger);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      res.setHeader('allow', 'GET, HEAD');
      send(res, 405, JSON_TYPE, '{"error":"method not allowed"}', false);
      return;
    }
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    switch (path) {
      case '/healthz':
        send(res, 200, JSON_TYPE, '{"status":"ok"}', head);
        return;
      case '/readyz': {
        const { ready, checks } = await evaluate();
        const body = JSON.stringify({ status: ready ? 'ready' : 'not_ready', checks });
        send(res, ready ? 200 : 503, JSON_TYPE, body, head);
        return;
      }
      case '/metrics':
        send(res, 200, metrics.contentType, await metrics.render(), head);
        return;
      default:
        send(res, 404, JSON_TYPE, '{"error":"not found"}', head);
    }
  };

  // A probe or scrape never needs long; these bound what a stuck client can hold open.
  const server = createServer({ requestTimeout: 10_000, headersTimeout: 5_000 }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error({ err: error instanceof Error ? error.message : String(error), path: req.url }, 'health server request failed');
      if (!res.headersSent) send(res, 500, JSON_TYPE, '{"error":"internal error"}', req.method === 'HEAD');
      else res.destroy();
    });
  });

  const listenPort = options.port === 'ephemeral' ? 0 : options.port;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(new AppError('CONFIG_INVALID', `CM_HTTP_PORT=${listenPort}: cannot listen on ${host}:${listenPort} (${error.code ?? error.message})`, { cause: error }));
    });
    server.listen(listenPort, host, () => {
      resolve();
    });
  });
  server.removeAllListeners('error');
  server.on('error', (error) => {
    logger.error({ err: error.message }, 'health server error');
  });

  const port = (server.address() as AddressInfo).port;
  const localHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const url = `http://${localHost.includes(':') ? `[${localHost}]` : localHost}:${port}`;
  logger.info({ host, port }, 'health server listening');

  let closing: Promise<void> | undefined;
  return {
    port,
    url,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          server.closeAllConnections();
        }, closeTimeoutMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        // Keep-alive sockets between requests would otherwise hold close() for keepAliveTimeout.
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
