import type { IncomingMessage, ServerResponse } from 'node:http';

/** Writes a complete JSON answer with an explicit length (UTF-8, as Chinese providers send it). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(payload.length),
    ...headers,
  });
  res.end(payload);
}

export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'content-length': '0' });
  res.end();
}

export type RequestJson = { ok: true; body: unknown } | { ok: false; reason: string };

/** Reads a control request's JSON body, refusing more than `maxBytes`. An empty body reads as `{}`. */
export async function readRequestJson(req: IncomingMessage, maxBytes: number): Promise<RequestJson> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return { ok: false, reason: `body over ${maxBytes} bytes` };
    chunks.push(chunk);
  }
  if (size === 0) return { ok: true, body: {} };
  try {
    return { ok: true, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch {
    return { ok: false, reason: 'body is not valid JSON' };
  }
}
