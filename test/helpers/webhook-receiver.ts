import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** What the receiver answers to one request; `hang` never answers (for timeouts). */
export type ScriptedResponse = { status: number; headers?: Record<string, string>; body?: string } | { hang: true };

/** One request as the receiver saw it, with the spec's reference verification already applied. */
export interface ReceivedWebhook {
  path: string;
  method: string;
  headers: Record<string, string>;
  /** The raw body, exactly as received. */
  body: string;
  /** `new Webhook(secret).verify(body, headers)` passed. */
  verified: boolean;
  /** The verification error's message, when it failed. */
  verifyError?: string;
  /** The status the receiver answered, or 'hang' when it never answered. */
  answer?: number | 'hang';
}

export interface WebhookReceiver {
  /** http://HOST:PORT/hook (HOST 127.0.0.1 unless given) */
  url: string;
  /** Base URL without path, for building redirect targets. */
  origin: string;
  received: ReceivedWebhook[];
  /** TCP connections accepted so far: a client that drains bodies reuses one. */
  connectionCount(): number;
  /** Queues answers for the next requests, in order; once used up, requests get 204. */
  script(...responses: ScriptedResponse[]): void;
  close(): Promise<void>;
}

/**
 * A Standard Webhooks receiver on 127.0.0.1 (or `host`), a free port. Every request is verified with the
 * reference library (`standardwebhooks`) against `secret`, and recorded whether it verifies or not.
 */
export async function startWebhookReceiver(secret: string, { host = '127.0.0.1' }: { host?: string } = {}): Promise<WebhookReceiver> {
  const verifier = new Webhook(secret);
  const queue: ScriptedResponse[] = [];
  const received: ReceivedWebhook[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = flatten(req.headers);
      const record: ReceivedWebhook = { path: req.url ?? '', method: req.method ?? '', headers, body, verified: false };
      try {
        verifier.verify(body, headers);
        record.verified = true;
      } catch (error) {
        record.verifyError = error instanceof Error ? error.message : String(error);
      }
      received.push(record);
      const answer = queue.shift() ?? { status: 204 };
      record.answer = 'hang' in answer ? 'hang' : answer.status;
      if ('hang' in answer) return;
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    });
  });
  server.on('connection', (socket) => {
    connections += 1;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  const origin = `http://${host}:${address.port}`;
  return {
    url: `${origin}/hook`,
    origin,
    received,
    connectionCount: () => connections,
    script: (...responses) => queue.push(...responses),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function flatten(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
