export interface LinkedDeadline {
  /** Aborts on the caller's cancellation or when the deadline passes. */
  signal: AbortSignal;
  /** Whether it was our deadline (not the caller) that aborted. */
  passed(): boolean;
  /** Clears the timer and the listener; call when the request is over. */
  release(): void;
}

/**
 * One signal for an outbound request: the caller's cancellation or our own deadline. Built by hand
 * rather than with AbortSignal.any, which keeps every dependent signal reachable for as long as the
 * caller's (often process-long) shutdown signal lives. Shared by every outbound adapter (the
 * providers' HTTP client, the webhook channel).
 */
export function linkDeadline(caller: AbortSignal, timeoutMs: number, what = 'no answer'): LinkedDeadline {
  const controller = new AbortController();
  let passed = false;
  const onAbort = (): void => {
    controller.abort(caller.reason);
  };
  if (caller.aborted) onAbort();
  else caller.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    passed = true;
    controller.abort(new DOMException(`${what} within ${timeoutMs} ms`, 'TimeoutError'));
  }, timeoutMs);
  return {
    signal: controller.signal,
    passed: () => passed,
    release: () => {
      clearTimeout(timer);
      caller.removeEventListener('abort', onAbort);
    },
  };
}
