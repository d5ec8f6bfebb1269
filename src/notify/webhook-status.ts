import type { SendResult } from './channel.js';
import { oneLine } from './one-line.js';

/**
 * What a receiver's HTTP status means for the delivery (Standard Webhooks "Delivery" and DESIGN
 * "Webhook"): 2xx delivered; 408, 429 and 5xx retried (with the advised wait); 410 permanent and
 * the target should be disabled; a 3xx permanent, because redirects are not followed; any other
 * 4xx (or 1xx) permanent.
 *
 * @param snippet - the start of the response body; at most 200 sanitised characters reach the error.
 * @param retryAfterMs - the receiver's `Retry-After`, in ms, when it sent a readable one.
 */
export function webhookResultForStatus(
  target: string,
  status: number,
  snippet: string,
  retryAfterMs: number | undefined,
): SendResult {
  if (status >= 200 && status < 300) return { ok: true };
  const detail = oneLine(snippet);
  const error = (what: string): string => `webhook target ${target}: HTTP ${status} ${what}${detail ? `: ${detail}` : ''}`;
  if (status === 408 || status === 429 || status >= 500) {
    return {
      ok: false,
      retryable: true,
      error: error('(will retry)'),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
  if (status === 410) {
    return { ok: false, retryable: false, disableTarget: true, error: error('Gone: the receiver asked to stop; target should be disabled') };
  }
  if (status >= 300 && status < 400) {
    // Not followed by design (SSRF, and the spec treats 3xx as failure); the Location is not quoted
    // since it may carry a token.
    return { ok: false, retryable: false, error: `webhook target ${target}: HTTP ${status} redirect not followed; configure the final URL` };
  }
  return { ok: false, retryable: false, error: error('refused (permanent)') };
}
