import { createConnection } from 'node:net';

/** Where and how long to ask. */
export interface PingRedisOptions {
  /** Host to dial. Default `127.0.0.1`. */
  host?: string;
  /** TCP port. */
  port: number;
  /** Give up after this many milliseconds (connect plus answer). Default 1000. */
  timeoutMs?: number;
}

/**
 * Sends one inline `PING` over a raw TCP socket and returns the first reply line: `+PONG` from a
 * usable Redis, `-NOAUTH …` or `-LOADING …` from one that is not usable yet, anything else from
 * something that is not Redis, or `undefined` when nothing answered (refused, reset, timed out).
 *
 * Raw TCP rather than ioredis on purpose: a probe must not reconnect, queue commands or emit error
 * events, and must be cheap enough to poll while a server starts.
 */
export function pingRedis(options: PingRedisOptions): Promise<string | undefined> {
  const { host = '127.0.0.1', port, timeoutMs = 1000 } = options;
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    let received = '';
    const finish = (answer: string | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => {
      finish(undefined);
    }, timeoutMs);
    socket.setEncoding('latin1');
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: string) => {
      received += chunk;
      const end = received.indexOf('\r\n');
      // A non-Redis peer may never send CRLF; cap what we buffer and answer with what came.
      if (end >= 0 || received.length > 256) finish(end >= 0 ? received.slice(0, end) : received);
    });
    socket.once('error', () => {
      finish(undefined);
    });
    socket.once('close', () => {
      finish(received === '' ? undefined : received);
    });
  });
}
