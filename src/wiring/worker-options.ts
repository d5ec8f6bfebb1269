/** The daemon's tunables that are not configuration: defaults for production, shorter in tests. */
export interface WorkerOptions {
  /** Scan jobs processed at once. Default from config. */
  concurrency?: number;
  /** Sweep tick interval in ms (tests shorten it). Default 60 s. */
  sweepEveryMs?: number;
  /** Maintenance round interval in ms (tests shorten it). Default 15 s. */
  maintenanceEveryMs?: number;
  /** Health server port override ('ephemeral' for tests). */
  httpPort?: number | 'ephemeral';
  /** Base of the delivery retry back-off in ms (tests shorten it). Default 10 s (DESIGN "Contract details"). */
  deliveryRetryBaseMs?: number;
  /**
   * BullMQ lock duration and stalled-check interval in ms, for every queue worker (tests shorten it so
   * that a killed process's active jobs run again within seconds). Default BullMQ's 30 s each.
   */
  stalledCheckMs?: number;
}

/** The maintenance loop's default round interval, in ms. */
export const MAINTENANCE_EVERY_MS = 15_000;
