import type { Queue } from 'bullmq';
import type { Logger } from '../logger.js';
import { relayDelivery } from './deliver.processor.js';
import { DIGEST_SCHEDULER_ID, JOB, SWEEP_SCHEDULER_ID } from './queue-names.js';

export interface MaintenanceDeps {
  sweepQueue: Queue;
  deliverQueue: Queue;
  /** How often the sweep runs, in ms. Default 60 s. */
  sweepEveryMs?: number;
  /** Daily digest time "HH:MM" in Asia/Shanghai; no digest scheduler when undefined. */
  digestTime?: string | undefined;
  /** Called after the sweep scheduler had to be created (first start, or Redis lost its data). */
  onSchedulerCreated?: () => Promise<void>;
  /** Store housekeeping run at the end of every round (e.g. forgetting re-scan requests that are done). */
  housekeeping?: () => Promise<void>;
  /** Pending outbox rows due by `dueBy` (epoch ms) on channels this process can send. */
  pendingDeliveries(dueBy: number, limit: number): Promise<Array<{ id: string; attempts: number }>>;
  clock: () => number;
  logger: Logger;
  /** Time between maintenance rounds, in ms. Default 15 s (the recovery bound is 2 min). */
  intervalMs?: number;
}

export interface Maintenance {
  /** Epoch ms of the last round that completed, for readiness. */
  lastRoundAt(): number | undefined;
  /** Runs one round now (also used at start). */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * SQLite is the source of truth; Redis may lose everything (restart without persistence, FLUSHALL).
 * Each round re-creates the sweep scheduler if it is gone and relays outbox rows that have no job,
 * so schedules and pending work come back without a restart. Job ids make every step idempotent.
 */
export function startMaintenance(deps: MaintenanceDeps): Maintenance {
  const intervalMs = deps.intervalMs ?? 15_000;
  let lastRoundAt: number | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const keep = { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } };
  const ensureScheduler = async (): Promise<void> => {
    if (!(await deps.sweepQueue.getJobScheduler(SWEEP_SCHEDULER_ID))) {
      // Before the scheduler's first tick can run, so that tick already sees the cleared marks.
      await deps.onSchedulerCreated?.();
      await deps.sweepQueue.upsertJobScheduler(SWEEP_SCHEDULER_ID, { every: deps.sweepEveryMs ?? 60_000 }, { name: JOB.tick, data: {}, opts: keep });
      deps.logger.info({ scheduler: SWEEP_SCHEDULER_ID }, 'sweep scheduler created');
    }
    if (deps.digestTime !== undefined && !(await deps.sweepQueue.getJobScheduler(DIGEST_SCHEDULER_ID))) {
      const [hours, minutes] = deps.digestTime.split(':');
      await deps.sweepQueue.upsertJobScheduler(
        DIGEST_SCHEDULER_ID,
        { pattern: `${Number(minutes)} ${Number(hours)} * * *`, tz: 'Asia/Shanghai' },
        { name: JOB.digest, data: {}, opts: { ...keep, attempts: 8, backoff: { type: 'exponential', delay: 30_000 } } },
      );
      deps.logger.info({ scheduler: DIGEST_SCHEDULER_ID, at: deps.digestTime }, 'digest scheduler created');
    }
  };

  const relayOutbox = async (): Promise<void> => {
    const pending = await deps.pendingDeliveries(deps.clock(), 1000);
    for (const delivery of pending) await relayDelivery(deps.deliverQueue, delivery.id, delivery.attempts);
  };

  const round = async (): Promise<void> => {
    try {
      await ensureScheduler();
      await relayOutbox();
      await deps.housekeeping?.();
      lastRoundAt = deps.clock();
    } catch (error) {
      deps.logger.warn({ err: (error as Error).message }, 'maintenance round failed; retrying next round');
    }
  };

  const runOnce = (): Promise<void> => (running ??= round().finally(() => { running = undefined; }));
  const timer = setInterval(() => { if (!stopped) void runOnce(); }, intervalMs);
  timer.unref();

  return {
    lastRoundAt: () => lastRoundAt,
    runOnce,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
