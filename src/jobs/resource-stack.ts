import type { Logger } from '../logger.js';

/** Resolves with `value` after `ms`, without keeping the process alive. */
export function delay<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => { resolve(value); }, ms).unref());
}

export interface ResourceStack {
  /** Registers a resource to close; closed in reverse order of registration. */
  push(name: string, close: () => Promise<void> | void): void;
  /** Closes everything, continuing past errors and past a resource that hangs. */
  closeAll(): Promise<void>;
}

/**
 * The daemon's resources, released in reverse order of creation. Each close gets `stepMs` (BullMQ's
 * close waits for a Redis that may be down), so shutdown always ends.
 */
export function createResourceStack(logger: Logger, stepMs = 5_000): ResourceStack {
  const closers: Array<{ name: string; close: () => Promise<void> | void }> = [];
  return {
    push: (name, close) => { closers.push({ name, close }); },
    closeAll: async () => {
      for (const { name, close } of closers.splice(0).reverse()) {
        try {
          const outcome = await Promise.race([Promise.resolve(close()).then(() => 'closed' as const), delay(stepMs, 'timeout' as const)]);
          if (outcome === 'timeout') logger.warn({ resource: name, afterMs: stepMs }, 'close did not finish in time; going on');
        } catch (error) {
          logger.warn({ err: (error as Error).message, resource: name }, 'error while closing');
        }
      }
    },
  };
}
