import type { Dispatcher } from 'undici';

export interface ReadBodySnippetOptions {
  /** Bytes kept from the start of the body for an error message. 0 keeps nothing. */
  keepBytes: number;
  /** Bytes read at most; a longer body is abandoned (its socket closed) rather than read on. */
  maxBytes: number;
}

/**
 * Reads a response body to its end so that undici can reuse the connection, keeping only its first
 * `keepBytes` as UTF-8 text. Never throws: a body that fails mid-way has still given its status,
 * which is what the caller acts on.
 */
export async function readBodySnippet(body: Dispatcher.ResponseData['body'], options: ReadBodySnippetOptions): Promise<string> {
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let readBytes = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      readBytes += chunk.length;
      if (keptBytes < options.keepBytes) {
        const part = chunk.subarray(0, options.keepBytes - keptBytes);
        kept.push(part);
        keptBytes += part.length;
      }
      if (readBytes > options.maxBytes) {
        body.destroy();
        break;
      }
    }
  } catch {
    // The status is already known; a broken body only costs the snippet.
  }
  return Buffer.concat(kept).toString('utf8');
}
