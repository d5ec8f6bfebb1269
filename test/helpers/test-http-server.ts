import { createServer, type RequestListener } from 'node:http';
import type { Socket } from 'node:net';

export interface TestHttpServer {
  url: string;
  /** Paths requested so far, in order (with query strings). */
  requests: string[];
  close(): Promise<void>;
}

/** A bare node:http server on 127.0.0.1, a free port, for HTTP edge cases; close() destroys open sockets. */
export async function startTestHttpServer(handler: RequestListener): Promise<TestHttpServer> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    handler(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        for (const socket of sockets) socket.destroy();
      }),
  };
}
