import { Agent, request, type Dispatcher } from 'undici';
import type { Webhook } from 'standardwebhooks';
import type { Channel, SendResult } from './channel.js';
import { linkDeadline } from '../outbound-http/link-deadline.js';
import { parseRetryAfter } from '../outbound-http/retry-after.js';
import { serialiseEventMessage } from './webhook-body.js';
import { readBodySnippet } from './read-body-snippet.js';
import { redactUrlSecrets } from './redact-url-secrets.js';
import { webhookResultForStatus } from './webhook-status.js';
import { webhookSigner } from './webhook-signer.js';

/** One configured receiver. */
export interface WebhookTarget {
  /** The name stored in the outbox's `target` column; the URL never is (it may carry a token). */
  name: string;
  /** http: or https: URL to POST to. */
  url: string;
  /** Standard Webhooks secret: `whsec_` + base64 of 24–64 random bytes. */
  secret: string;
}

export interface WebhookChannelOptions {
  /** The receivers, each with its own secret; names must be unique. */
  targets: readonly WebhookTarget[];
  /** An undici Dispatcher to send through instead of the channel's own Agent (tests, egress
   *  proxies). The caller owns it: `close()` leaves it open. */
  dispatcher?: Dispatcher;
  /** Deadline for one attempt (connect, headers and body), in ms. Default 10000. */
  timeoutMs?: number;
  /** Sent as `user-agent`. Default "credit-monitor". */
  userAgent?: string;
  /** Epoch-ms clock for `webhook-timestamp`. Default `Date.now`. */
  clock?: () => number;
}

/** The webhook channel, plus the release of its own HTTP Agent at shutdown. */
export interface WebhookChannel extends Channel {
  /** Closes the channel's own Agent after in-flight requests end; an injected dispatcher stays open. */
  close(): Promise<void>;
}

interface PreparedTarget {
  name: string;
  url: URL;
  signer: Webhook;
}

/** Most of an unwanted response body read (and thrown away) so the socket can be reused, in bytes. */
const MAX_DRAIN_BYTES = 64 * 1024;

/**
 * Creates the Standard Webhooks channel (DESIGN "Webhook"). `target` of a delivery is a target
 * name. Every attempt carries the same `webhook-id` (the delivery id) and the same body bytes, with
 * a fresh `webhook-timestamp` and signature. Redirects are never followed.
 *
 * @throws Error when a target's URL or secret is unusable or a name repeats: a configuration mistake
 *   that must stop the process at start, not dead-letter every delivery. The message names the
 *   target, never its URL or secret.
 */
export function createWebhookChannel(options: WebhookChannelOptions): WebhookChannel {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const userAgent = options.userAgent ?? 'credit-monitor';
  const clock = options.clock ?? Date.now;
  const targets = new Map<string, PreparedTarget>();
  for (const target of options.targets) {
    if (targets.has(target.name)) throw new Error(`webhook target ${target.name} is configured twice`);
    targets.set(target.name, prepareTarget(target));
  }
  const dispatcher: Dispatcher =
    options.dispatcher ?? new Agent({ connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const owned = options.dispatcher === undefined ? dispatcher : undefined;

  async function send(
    { deliveryId, target: name, message }: Parameters<Channel['send']>[0],
    signal: AbortSignal,
  ): Promise<SendResult> {
    const target = targets.get(name);
    if (!target) return { ok: false, retryable: false, error: `webhook target ${name} is not configured` };
    // The spec signs "id.timestamp.body": a dot in the id would make the signed text ambiguous.
    if (!/^[\w-]+$/.test(deliveryId)) {
      return { ok: false, retryable: false, error: `webhook target ${name}: delivery id is not a valid webhook-id` };
    }
    const body = serialiseEventMessage(message);
    const sentAt = new Date(clock());
    const headers = {
      'content-type': 'application/json',
      'user-agent': userAgent,
      'webhook-id': deliveryId,
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': target.signer.sign(deliveryId, sentAt, body),
    };
    const deadline = linkDeadline(signal, timeoutMs);
    try {
      const response = await request(target.url, {
        method: 'POST',
        dispatcher,
        signal: deadline.signal,
        headers,
        body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        // request() never follows redirects; 0 also disables a redirect interceptor an injected
        // dispatcher may have been composed with.
        maxRedirections: 0,
      } as Parameters<typeof request>[1]);
      const status = response.statusCode;
      const retryAfterHeader = response.headers['retry-after'];
      const retryAfterMs = parseRetryAfter(Array.isArray(retryAfterHeader) ? retryAfterHeader[0] : retryAfterHeader, clock());
      const ok = status >= 200 && status < 300;
      // Read what the receiver sent, bounded, even on success: an unread body pins the socket.
      const snippet = await readBodySnippet(response.body, { keepBytes: ok ? 0 : 1024, maxBytes: MAX_DRAIN_BYTES });
      return webhookResultForStatus(name, status, redactUrlSecrets(snippet, target.url), retryAfterMs);
    } catch (error) {
      return failureFor(name, error, signal, deadline.passed(), timeoutMs);
    } finally {
      deadline.release();
    }
  }

  return {
    name: 'webhook',
    send,
    async close() {
      await owned?.close();
    },
  };
}

function prepareTarget(target: WebhookTarget): PreparedTarget {
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    throw new Error(`webhook target ${target.name}: URL is not valid`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`webhook target ${target.name}: URL must be http: or https:`);
  }
  const signer = webhookSigner(target.secret);
  if (signer === undefined) {
    const fault = target.secret.startsWith('whsec_') ? 'is not valid base64 after whsec_' : 'must start with whsec_';
    throw new Error(`webhook target ${target.name}: secret ${fault}`);
  }
  return { name: target.name, url, signer };
}

/** A request that produced no status: a cancellation, our deadline or a network failure. All retryable. */
function failureFor(name: string, error: unknown, caller: AbortSignal, deadlinePassed: boolean, timeoutMs: number): SendResult {
  if (caller.aborted && !deadlinePassed) {
    return { ok: false, retryable: true, error: `webhook target ${name}: cancelled before an answer` };
  }
  const code = errorCode(error);
  if (deadlinePassed || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return { ok: false, retryable: true, error: `webhook target ${name}: no answer within ${timeoutMs} ms` };
  }
  // Only the code: undici's messages name the address, and a URL may carry a token.
  return { ok: false, retryable: true, error: `webhook target ${name}: network error (${code ?? 'unknown'})` };
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = 'code' in error ? error.code : undefined;
  if (typeof code === 'string' && /^[A-Z0-9_]+$/.test(code)) return code;
  const cause = 'cause' in error ? error.cause : undefined;
  return cause === undefined ? undefined : errorCode(cause);
}

