/**
 * How long to pause the scan queue after a provider's rate-limit answer: the advised wait when there
 * is one, else `baseMs` doubling on repeats up to `maxMs`, back to `baseMs` after a success.
 */
export class RateLimitPause {
  private repeats = 0;

  constructor(
    /** CM_RATE_LIMIT_PAUSE in ms. */
    private readonly baseMs: number,
    /** Longest pause without advice, in ms. Default 5 min. */
    private readonly maxMs = 300_000,
  ) {}

  next(advisedMs: number | undefined): number {
    if (advisedMs !== undefined && advisedMs > 0) return advisedMs;
    const ms = Math.min(this.baseMs * 2 ** this.repeats, this.maxMs);
    this.repeats = Math.min(this.repeats + 1, 30);
    return ms;
  }

  reset(): void {
    this.repeats = 0;
  }
}
