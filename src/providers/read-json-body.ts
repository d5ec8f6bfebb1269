import type { Readable } from 'node:stream';
import type { ProviderError } from '../domain/sections.js';

export type JsonBodyResult = { ok: true; body: unknown } | { ok: false; error: ProviderError };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A byte budget shared by several bodies (one check's answers): `usedBytes` grows as they are read. */
export interface SharedByteBudget {
  readonly limitBytes: number;
  readonly count: { usedBytes: number };
}

/**
 * Reads a response body of at most `maxBytes`, then decodes it as UTF-8 JSON. A body that grows
 * past the limit is destroyed at once rather than buffered: a misbehaving provider must not be
 * able to fill our memory. With `shared`, every byte also counts against that budget, and the body
 * that crosses it is abandoned the same way. Stream errors are rethrown for the caller to classify.
 *
 * @param declaredLength - the Content-Length header, when present, to refuse a large body unread.
 */
export async function readJsonBody(
  body: Readable,
  maxBytes: number,
  where: string,
  declaredLength: string | undefined,
  shared?: SharedByteBudget,
): Promise<JsonBodyResult> {
  const declared = declaredLength === undefined ? Number.NaN : Number(declaredLength);
  if (declared > maxBytes) {
    abandon(body);
    return tooLarge(where, maxBytes);
  }
  if (shared !== undefined && shared.count.usedBytes + declared > shared.limitBytes) {
    abandon(body);
    return overBudget(where, shared);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      abandon(body);
      return tooLarge(where, maxBytes);
    }
    if (shared !== undefined) {
      shared.count.usedBytes += chunk.length;
      if (shared.count.usedBytes > shared.limitBytes) {
        abandon(body);
        return overBudget(where, shared);
      }
    }
    chunks.push(chunk);
  }
  if (size === 0) return invalid(`${where}: empty body`);
  let text: string;
  try {
    text = utf8.decode(Buffer.concat(chunks, size));
  } catch {
    return invalid(`${where}: body is not UTF-8`);
  }
  try {
    return { ok: true, body: JSON.parse(text) as unknown };
  } catch {
    return invalid(`${where}: body is not valid JSON (malformed or truncated, ${size} bytes)`);
  }
}

function tooLarge(where: string, maxBytes: number): JsonBodyResult {
  return invalid(`${where}: body exceeds the limit of ${maxBytes} bytes`);
}

function overBudget(where: string, shared: SharedByteBudget): JsonBodyResult {
  return invalid(`${where}: the answers of this check exceed the limit of ${shared.limitBytes} bytes in all`);
}

function invalid(message: string): JsonBodyResult {
  return { ok: false, error: { kind: 'invalid_response', message } };
}

/** Stops the download; the abort error the stream then emits is expected, so it is swallowed. */
function abandon(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}
