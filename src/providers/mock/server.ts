import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { AppError } from '../../errors.js';
import { FaultInjector } from './fault-injector.js';
import { handleControlRequest } from './handle-control-request.js';
import { handleProviderRequest } from './handle-provider-request.js';
import { sendJson } from './http-io.js';
import { MockStateStore } from './mock-state-store.js';
import { RequestStats, type MockStats } from './request-stats.js';
import type { MockState } from './state.js';

export interface MockProviderServerOptions {
  /** TCP port; 0 picks a free one. Default 0. */
  port?: number;
  /** Interface to listen on. Default "127.0.0.1". The control API answers loopback peers only, whatever this is. */
  host?: string;
  /** The data served at start, and restored by `POST /_control/reset`. */
  state: MockState;
  /** When set, provider-API requests must send `authorization: Bearer <token>`; the control API never needs it. */
  token?: string;
  /** What control requests must send in `x-control-token`. Default: 128 random bits, see {@link MockProviderServer.controlToken}. */
  controlToken?: string;
  /** Receives one line per control change (info) and per provider request (debug). */
  logger?: Pick<Logger, 'debug' | 'info' | 'warn'>;
}

export interface MockProviderServer {
  /** Base URL, e.g. "http://127.0.0.1:53211": the adapter's `baseUrl`, `CM_PROVIDER_URL`. */
  readonly url: string;
  readonly port: number;
  /** The control API's token (`x-control-token`): the one given, or the one generated at start. */
  readonly controlToken: string;
  /** What the server has served so far (the same as `GET /_control/stats`). */
  stats(): MockStats;
  resetStats(): void;
  /** Stops listening and destroys every connection, including requests held by a "timeout" fault. */
  close(): Promise<void>;
}

/** Starts the mock provider: its JSON API under `/v1/` and its control API under `/_control/`. */
export async function startMockProviderServer(options: MockProviderServerOptions): Promise<MockProviderServer> {
  const { host = '127.0.0.1', logger } = options;
  const store = new MockStateStore(options.state);
  const faults = new FaultInjector();
  const stats = new RequestStats();
  const closing = new AbortController();
  const sockets = new Set<Socket>();
  const providerContext = { store, faults, stats, token: options.token, closing: closing.signal };
  const controlToken = options.controlToken ?? randomBytes(16).toString('hex');
  const controlContext = {
    store,
    faults,
    stats,
    token: controlToken,
    log: (change: string, details: Record<string, unknown>) => logger?.info({ mockProvider: details }, `mock provider: ${change}`),
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://mock.invalid');
    if (url.pathname.startsWith('/_control/')) {
      await handleControlRequest(controlContext, req, res, url);
    } else {
      logger?.debug({ method: req.method, path: url.pathname }, 'mock provider: request');
      await handleProviderRequest(providerContext, req, res, url);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger?.warn({ err: error }, 'mock provider: request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') {
    server.close();
    throw new AppError('PROVIDER_FAILED', 'mock provider: the server has no TCP address');
  }
  const port = address.port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closed: Promise<void> | undefined;
  return {
    url,
    port,
    controlToken,
    stats: () => stats.snapshot(),
    resetStats: () => {
      stats.reset();
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => {
          resolve();
        });
        // Keep-alive and deliberately hanging connections would otherwise hold close() open.
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
}
