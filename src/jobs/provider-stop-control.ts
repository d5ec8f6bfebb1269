import type { Queue } from 'bullmq';
import {
  clearProviderStop,
  readProviderStop,
  recordProviderStop,
  toProviderStop,
  type ProviderStop,
  type ProviderStopStore,
} from '../app/provider-stop.js';
import type { ProviderError } from '../domain/sections.js';
import type { Logger } from '../logger.js';

export interface ProviderStopControlDeps {
  /** The configured provider's id, e.g. "tianyancha". */
  provider: string;
  store: ProviderStopStore;
  scanQueue: Pick<Queue, 'pause' | 'resume'>;
  logger: Logger;
  /** Epoch ms now. */
  clock: () => number;
}

/** Stops and resumes the scan queue for an `auth` or `quota` answer (see app/provider-stop.ts). */
export interface ProviderStopControl {
  /**
   * Records the stop and pauses the scan queue (a global BullMQ pause: every worker, until resumed).
   * Only the call that records it logs the operational alert, so concurrent checks and workers that
   * hit the same refusal raise one alert between them.
   */
  stop(error: ProviderError): Promise<void>;
  /** Resumes the scan queue, then clears the record; returns the stop it cleared. */
  resume(reason: string): Promise<ProviderStop | undefined>;
  /** Resumes when the recorded stop carries a resume time that has passed. */
  resumeIfDue(): Promise<void>;
  /** The recorded stop, if any. */
  current(): Promise<ProviderStop | undefined>;
}

export function createProviderStopControl(deps: ProviderStopControlDeps): ProviderStopControl {
  const { store, scanQueue, logger } = deps;
  const control: ProviderStopControl = {
    async stop(error) {
      const stop = toProviderStop(deps.provider, error, deps.clock());
      // Record first: SQLite is the source of truth, and a Redis that loses the pause gets it back
      // from the next refused check, without a second alert.
      const first = await recordProviderStop(store, stop);
      await scanQueue.pause();
      if (!first) return;
      logger.error(
        { provider: stop.provider, kind: stop.kind, providerMessage: stop.message, resumeAt: stop.resumeAt },
        stop.resumeAt === null
          ? `provider ${stop.kind === 'auth' ? 'refused our credentials' : 'quota is spent'}: scan queue stopped until "credit-monitor provider resume" (or a worker restart)`
          : `provider quota is spent: scan queue stopped until ${stop.resumeAt}`,
      );
    },
    async resume(reason) {
      // Queue first: a record cleared with the queue still paused would leave nothing to resume it.
      await scanQueue.resume();
      const cleared = await clearProviderStop(store);
      if (cleared) logger.info({ provider: cleared.provider, kind: cleared.kind, stoppedAt: cleared.at, reason }, 'provider stop cleared: scan queue resumed');
      return cleared;
    },
    async resumeIfDue() {
      const stop = await readProviderStop(store);
      if (stop?.resumeAt == null || Date.parse(stop.resumeAt) > deps.clock()) return;
      await control.resume('advised wait over');
    },
    current: () => readProviderStop(store),
  };
  return control;
}
