/**
 * Reads an HTTP `Retry-After` value (RFC 9110 §10.2.3): delay-seconds ("120") or an HTTP date
 * ("Wed, 21 Oct 2026 07:28:00 GMT"). Returns the wait in ms, or undefined when the header is absent
 * or unreadable, so that the caller falls back to its own back-off. Shared by every outbound adapter
 * (providers, webhooks).
 *
 * @param nowMs - the current time, epoch ms; a parameter so that the date form is testable.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only an HTTP date contains a comma or "GMT"; refusing anything else keeps Date.parse from
  // reading "12.5" or "soon" as some date.
  if (!/GMT|,/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
