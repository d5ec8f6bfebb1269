/**
 * A tiny HTTP forwarder in front of a local server that records when each request arrived, so tests
 * can check rates over sliding windows (the mock's own stats count calendar seconds only).
 */
import { createServer, request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';

export interface RecordedRequest {
  /** `performance.now()` at arrival, in ms. */
  at: number;
  method: string;
  path: string;
}

export interface RecordingProxy {
  readonly url: string;
  readonly requests: readonly RecordedRequest[];
  close(): Promise<void>;
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    requests.push({ at: performance.now(), method: req.method ?? 'GET', path: req.url ?? '/' });
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
  if (address === null || typeof address === 'string') throw new Error('recording proxy: no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => { resolve(); });
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** The most requests whose arrival times fall within any window of `windowMs` (half-open). */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] ?? 0) - (sorted[start] ?? 0) >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/** The shortest span (ms) covering `n` consecutive requests: with a limit of `n - 1` per window, it must be ≥ the window. */
export function tightestSpan(times: readonly number[], n: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i + n - 1 < sorted.length; i++) best = Math.min(best, (sorted[i + n - 1] ?? 0) - (sorted[i] ?? 0));
  return best;
}
