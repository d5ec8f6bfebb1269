/**
 * One stack of releasers (graphile-worker's `withReleasers`): whatever opens a resource pushes the
 * function that releases it, and everything is released in reverse order of opening, continuing past
 * errors. The daemon, the CLI and (next) `serve` all release through it.
 */
import type { Logger } from '../logger.js';

export type Release = () => Promise<void> | void;

/** A release that threw, or that did not finish within `stepMs`; releasing went on either way. */
export type ReleaseProblem =
  | { kind: 'error'; name: string; error: unknown }
  | { kind: 'timeout'; name: string; afterMs: number };

export interface Releasers {
  /** Registers the release of one resource, under a name for the log. */
  push(name: string, release: Release): void;
  /**
   * Runs every registered release, newest first, each once. A call made while another runs waits for
   * it, then releases what was pushed since; so every caller resolves only once all is released.
   * Never rejects.
   */
  releaseAll(): Promise<void>;
}

export interface ReleasersOptions {
  /**
   * Longest one release may take before the next one starts, in ms (closing a BullMQ queue waits for
   * a Redis that may be down, so the daemon bounds each step and shutdown always ends). Default: no bound.
   */
  stepMs?: number;
  /** Told about each release that threw or ran out of time. */
  onProblem(problem: ReleaseProblem): void;
}

export function createReleasers(options: ReleasersOptions): Releasers {
  const stack: Array<{ name: string; release: Release }> = [];
  const runOne = async (name: string, release: Release): Promise<void> => {
    const done = Promise.resolve().then(release).then(() => 'released' as const);
    if (options.stepMs === undefined) {
      await done;
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => { resolve('timeout'); }, options.stepMs).unref();
    });
    // A release that fails after its step timed out must not surface as an unhandled rejection.
    done.catch(() => undefined);
    const outcome = await Promise.race([done, timeout]).finally(() => { clearTimeout(timer); });
    if (outcome === 'timeout') options.onProblem({ kind: 'timeout', name, afterMs: options.stepMs });
  };
  const releaseStack = async (): Promise<void> => {
    for (const { name, release } of stack.splice(0).reverse()) {
      try {
        await runOne(name, release);
      } catch (error) {
        options.onProblem({ kind: 'error', name, error });
      }
    }
  };
  let releasing: Promise<void> = Promise.resolve();
  return {
    push: (name, release) => { stack.push({ name, release }); },
    releaseAll: () => (releasing = releasing.then(releaseStack)),
  };
}

/** The daemon's releasers: each step bounded by `stepMs`, problems logged as warnings. */
export function createLoggedReleasers(logger: Logger, stepMs = 5_000): Releasers {
  return createReleasers({
    stepMs,
    onProblem: (problem) => {
      if (problem.kind === 'timeout') {
        logger.warn({ resource: problem.name, afterMs: problem.afterMs }, 'close did not finish in time; going on');
      } else {
        logger.warn({ err: errorMessage(problem.error), resource: problem.name }, 'error while closing');
      }
    },
  });
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
