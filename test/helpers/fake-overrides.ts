import type { ServerResponse } from 'node:http';

/** A canned answer that replaces a fake provider's normal one for matching requests. */
export interface FakeOverride {
  /** Only requests whose path and query contain this; every request when absent. */
  path?: string;
  /** How many requests it hits, then it is gone. Default 1. */
  times?: number;
  /** HTTP status. Default 200. */
  status?: number;
  /** Default "application/json; charset=utf-8". */
  contentType?: string;
  /** More response headers, e.g. `retry-after`. */
  headers?: Record<string, string>;
  /** The body, sent byte for byte (a JSON value is serialised). */
  body: unknown;
  /** Declare the full length, send half, then cut the connection. */
  cut?: boolean;
}

/** The overrides of one fake: first match wins, in the order added. */
export class FakeOverrides {
  #entries: Array<FakeOverride & { left: number }> = [];

  add(override: FakeOverride): void {
    this.#entries.push({ ...override, left: override.times ?? 1 });
  }

  clear(): void {
    this.#entries = [];
  }

  /** Answers the request when an override matches; false means answer normally. */
  apply(target: string, res: ServerResponse): boolean {
    const entry = this.#entries.find((e) => e.path === undefined || target.includes(e.path));
    if (entry === undefined) return false;
    entry.left -= 1;
    if (entry.left <= 0) this.#entries = this.#entries.filter((e) => e !== entry);
    const text = typeof entry.body === 'string' ? entry.body : JSON.stringify(entry.body);
    const payload = Buffer.from(text, 'utf8');
    res.writeHead(entry.status ?? 200, {
      'content-type': entry.contentType ?? 'application/json; charset=utf-8',
      'content-length': String(payload.length),
      ...entry.headers,
    });
    if (entry.cut) res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => res.destroy());
    else res.end(payload);
    return true;
  }
}

/** Writes a JSON answer with an explicit length. */
export function sendFakeJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(payload.length) });
  res.end(payload);
}
