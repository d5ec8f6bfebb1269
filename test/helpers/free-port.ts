import { createServer } from 'node:net';

/**
 * A port that was free a moment ago: the OS picks it when we bind port 0, then we release it.
 * Another process can take it before the caller binds it, so a server helper retries on
 * "address already in use".
 */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}
