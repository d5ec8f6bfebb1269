/**
 * A forwarder in front of a local server that answers a request itself when a canned override
 * matches (the same `FakeOverride`s as the provider fakes), so that an answer the server cannot be
 * made to give (a registration without a credit code) can still be served over real HTTP.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import { FakeOverrides, type FakeOverride } from './fake-overrides.js';

export interface OverridingProxy {
  readonly url: string;
  override(override: FakeOverride): void;
  clear(): void;
  close(): Promise<void>;
}

export async function startOverridingProxy(target: string): Promise<OverridingProxy> {
  const upstream = new URL(target);
  const overrides = new FakeOverrides();
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    if (overrides.apply(req.url ?? '/', res)) {
      req.resume();
      return;
    }
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('overriding proxy: no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    override: (override) => {
      overrides.add(override);
    },
    clear: () => {
      overrides.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        for (const socket of sockets) socket.destroy();
      }),
  };
}
