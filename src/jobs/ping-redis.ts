import { createConnection } from 'node:net';

/** Where and how long to ask. */
export interface PingRedisOptions {
  /** Host to dial. Default `127.0.0.1`. */
  host?: string;
  /** TCP port. */
  port: number;
  /** Give up after this many milliseconds (connect plus answer). Default 1000. */
  timeoutMs?: number;
  /** Sent with `AUTH` before the command, whose reply is then the one returned. Letters and digits only. */
  password?: string | undefined;
}

/** Most we read from a peer that may not be Redis at all. */
const MAX_REPLY_CHARS = 16_384;

/**
 * Sends one inline command over a raw TCP socket and collects the reply until `complete` says it
 * has enough. Resolves undefined when nothing answered (refused, reset, timed out, silent).
 */
function ask(options: PingRedisOptions, command: string, complete: (reply: string) => boolean): Promise<string | undefined> {
  const { host = '127.0.0.1', port, timeoutMs = 1000, password } = options;
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    let received = '';
    // With a password, the first reply line is AUTH's (+OK, -WRONGPASS, or an error when the server
    // has no password); the command's reply follows it.
    const reply = (): string => {
      if (password === undefined) return received;
      const end = received.indexOf('\r\n');
      return end === -1 ? '' : received.slice(end + 2);
    };
    const finish = (answer: string | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const settle = (): void => {
      finish(reply() !== '' ? reply() : received === '' ? undefined : received);
    };
    const timer = setTimeout(settle, timeoutMs);
    socket.setEncoding('latin1');
    socket.once('connect', () => socket.write(`${password === undefined ? '' : `AUTH ${password}\r\n`}${command}\r\n`));
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (complete(reply()) || received.length > MAX_REPLY_CHARS) settle();
    });
    socket.once('error', settle);
    socket.once('close', settle);
  });
}

/**
 * Sends `PING` and returns the first reply line: `+PONG` from a usable Redis, `-NOAUTH …` or
 * `-LOADING …` from one that is not usable yet, anything else from something that is not Redis, or
 * `undefined` when nothing answered.
 *
 * Raw TCP rather than ioredis on purpose: a probe must not reconnect, queue commands or emit error
 * events, and must be cheap enough to poll while a server starts.
 */
export async function pingRedis(options: PingRedisOptions): Promise<string | undefined> {
  const reply = await ask(options, 'PING', (text) => text.includes('\r\n'));
  return reply?.split('\r\n', 1)[0];
}

/**
 * The `process_id` of the Redis answering on the port (from `INFO server`), or undefined. Tells
 * whether the server that answers is the one we spawned or another that won a race for the port.
 */
export async function redisProcessId(options: PingRedisOptions): Promise<number | undefined> {
  const pattern = /process_id:(\d+)\r\n/;
  const reply = await ask(options, 'INFO server', (text) => pattern.test(text) || (text.startsWith('-') && text.includes('\r\n')));
  const match = reply === undefined ? null : pattern.exec(reply);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
