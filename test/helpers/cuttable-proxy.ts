/**
 * A TCP proxy (on 127.0.0.1 by default) in front of one server, that a test can cut: the partition of the
 * multi-host test where network namespaces are unavailable. While cut, nothing is forwarded either
 * way and new connections are accepted but get no answer (as behind a silent network, not a quick
 * "connection refused"); `restore()` forwards again what was held back. Unlike a real partition the
 * kernel still acknowledges the bytes, so TCP never retransmits: the client sees silence, which is
 * what its timeouts must handle.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface CuttableProxy {
  /** The proxy's port (on 127.0.0.1 unless `listenHost` said otherwise). */
  readonly port: number;
  /** Stops forwarding, both ways, on every connection, open or new. */
  cut(): void;
  /** Forwards again, held-back bytes first; idempotent. */
  restore(): void;
  /** Bytes read while cut and not forwarded yet (so a test can tell the proxy has them). */
  heldBytes(): number;
  /** Closes the listener and every connection. */
  close(): Promise<void>;
}

/** One proxied connection; bytes read while cut wait in `held` (small in tests: no back-pressure). */
interface Pair {
  client: Socket;
  upstream: Socket | undefined;
  held: Array<{ to: 'client' | 'upstream'; chunk: Buffer }>;
}

/** Starts a proxy to `target` on a free port of `listenHost` (default 127.0.0.1). */
export async function startCuttableProxy(
  target: { host: string; port: number },
  { listenHost = '127.0.0.1' }: { listenHost?: string } = {},
): Promise<CuttableProxy> {
  const pairs = new Set<Pair>();
  let isCut = false;

  const send = (pair: Pair, to: 'client' | 'upstream', chunk: Buffer): void => {
    const socket = to === 'client' ? pair.client : pair.upstream;
    if (isCut || socket === undefined) pair.held.push({ to, chunk });
    else socket.write(chunk);
  };
  const flush = (pair: Pair): void => {
    for (const { to, chunk } of pair.held.splice(0)) (to === 'client' ? pair.client : pair.upstream)?.write(chunk);
  };
  const end = (pair: Pair): void => {
    pair.client.destroy();
    pair.upstream?.destroy();
    pairs.delete(pair);
  };
  const open = (pair: Pair): void => {
    const upstream = connect(target.port, target.host);
    pair.upstream = upstream;
    upstream.on('data', (chunk: Buffer) => {
      send(pair, 'client', chunk);
    });
    upstream.on('error', () => {
      end(pair);
    });
    // A close while cut would tell the client at once: hold it back like the bytes.
    upstream.on('close', () => {
      if (!isCut) end(pair);
    });
    flush(pair);
  };
  const server: Server = createServer((client) => {
    const pair: Pair = { client, upstream: undefined, held: [] };
    pairs.add(pair);
    client.on('data', (chunk: Buffer) => {
      send(pair, 'upstream', chunk);
    });
    client.on('error', () => {
      end(pair);
    });
    client.on('close', () => {
      if (!isCut) end(pair);
    });
    if (!isCut) open(pair);
  });
  await new Promise<void>((resolve) => server.listen(0, listenHost, resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('cuttable proxy: no address');

  return {
    port: address.port,
    cut: () => {
      isCut = true;
    },
    heldBytes: () => [...pairs].reduce((sum, pair) => sum + pair.held.reduce((n, { chunk }) => n + chunk.length, 0), 0),
    restore: () => {
      isCut = false;
      for (const pair of [...pairs]) {
        if (pair.client.destroyed || pair.upstream?.destroyed === true) end(pair);
        else if (pair.upstream === undefined) open(pair);
        else flush(pair);
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const pair of [...pairs]) end(pair);
        server.close(() => {
          resolve();
        });
      }),
  };
}
