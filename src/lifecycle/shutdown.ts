/**
 * The daemon's stop: graceful within a bound, then forced; a second request forces at once. Either
 * way every releaser runs, newest first (see releasers.ts).
 */
import type { Logger } from '../logger.js';
import { errorMessage, type Releasers } from './releasers.js';

export interface ShutdownOptions {
  releasers: Releasers;
  /** How long `drain` may take before running work is abandoned, in ms (`CM_SHUTDOWN_GRACE`). */
  graceMs: number;
  /** Stops taking new work and waits for what runs (e.g. closes queue workers without force). */
  drain(): Promise<void>;
  /** Gives up on running work at once (e.g. aborts in-flight jobs: they run again after a restart). */
  abandon(): void;
  logger: Logger;
}

export interface Shutdown {
  /**
   * Without `force`: drains within the grace, abandons what is left, then releases; repeated calls
   * share that one run. With `force`: abandons at once and releases, even while a graceful run waits.
   */
  readonly close: (force?: boolean) => Promise<void>;
  /** For process signals: the first closes gracefully, any later one forces. */
  readonly signal: (name: string) => Promise<void>;
}

export function createShutdown(options: ShutdownOptions): Shutdown {
  const { releasers, logger } = options;
  let graceful: Promise<void> | undefined;
  let signals = 0;

  const drainWithinGrace = async (): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => { resolve('timeout'); }, options.graceMs).unref();
    });
    const drained = options.drain().then(
      () => 'drained' as const,
      (error: unknown) => {
        logger.warn({ err: errorMessage(error) }, 'graceful shutdown step failed: forcing');
        return 'failed' as const;
      },
    );
    const outcome = await Promise.race([drained, timeout]).finally(() => { clearTimeout(timer); });
    if (outcome === 'timeout') logger.warn({ graceMs: options.graceMs }, 'shutdown grace exceeded: forcing');
    if (outcome !== 'drained') options.abandon();
  };

  const close = (force = false): Promise<void> => {
    if (force) {
      options.abandon();
      return releasers.releaseAll();
    }
    return (graceful ??= (async () => {
      await drainWithinGrace();
      await releasers.releaseAll();
    })());
  };

  return {
    close,
    signal: (name) => {
      signals += 1;
      logger.info({ signal: name }, signals === 1 ? 'shutting down gracefully' : 'second signal: forcing shutdown');
      return close(signals > 1);
    },
  };
}
