import { Worker, type WorkerOptions as BullWorkerOptions } from 'bullmq';
import { raiseOverdueCases } from '../app/case-workflow.js';
import { runEscalations } from '../app/escalate.js';
import { runListingClockPass } from '../app/listing-clock-pass.js';
import type { GradeSchedule } from '../app/grade-schedule.js';
import { sendDigest } from '../app/send-digest.js';
import type { Config } from '../config/load-config.js';
import type { Metrics } from '../http/metrics.js';
import { enqueueDelivery } from '../jobs/deliver.processor.js';
import { countDigest } from '../jobs/delivery-metrics.js';
import { QUEUE } from '../jobs/queue-names.js';
import type { Queues } from '../jobs/queues.js';
import { createSweepProcessor, type SweepProcessorDeps } from '../jobs/sweep.processor.js';
import type { Logger } from '../logger.js';
import type { Channels } from './open-channels.js';
import type { ProviderControls } from './open-provider-controls.js';
import { createCaseWorkflowDeps, createClockPassDeps } from './check-deps.js';
import type { Store } from './open-store.js';

export interface SweepWorkerParts {
  store: Store;
  queues: Queues;
  channels: Channels;
  controls: ProviderControls;
  /** The process's cadence plan: each tick counts the register again for it. */
  schedule: GradeSchedule;
  metrics: Metrics;
  clock: () => number;
  logger: Logger;
}

/** The `sweep` queue's worker: each tick enqueues the due customers and escalates; the digest job sends the digest. */
export function startSweepWorker(config: Config, parts: SweepWorkerParts, options: BullWorkerOptions): Worker {
  const { store, queues, clock } = parts;
  const processor = createSweepProcessor({
    dueCustomers: (now, pageSize, queuedBefore) => store.repos.customers.iterateDue(now, pageSize, { queuedBefore }),
    markQueued: (usccs, at) => store.repos.customers.markQueued(usccs, at),
    recordSweep: (at) => store.repos.meta.set('last_sweep_at', String(at)),
    scanQueue: queues.scan,
    clock,
    budget: parts.controls.budget,
    refreshCadence: () => parts.schedule.refresh(),
    providerStop: parts.controls.providerStop,
    // After each tick: re-notify open cases nobody acknowledged, raise missed case deadlines, and
    // once a day the listing clock over the stored snapshots (no provider call).
    escalate: async () => {
      await runEscalations({
        store: store.repos.escalations,
        policy: config.escalation,
        clock,
        enqueue: async (ids) => {
          for (const id of ids) await enqueueDelivery(queues.deliver, id, 0);
        },
      });
      await raiseOverdueCases(createCaseWorkflowDeps(config, store, clock));
      const pass = await runListingClockPass(createClockPassDeps(config, store, clock));
      if (pass.kind === 'ran') parts.logger.info(pass, 'listing clock pass');
    },
    logger: parts.logger,
    ...digestStep(parts),
  });
  return new Worker(QUEUE.sweep, processor, { ...options, concurrency: 1 });
}

/** The digest job's step, when SMTP is configured. */
function digestStep(parts: SweepWorkerParts): Pick<SweepProcessorDeps, 'digest'> {
  const send = parts.channels.sendDigest;
  if (send === undefined) return {};
  const { store, metrics, clock } = parts;
  const digestStore = { ...store.repos.digests, eventMessage: (id: string) => store.repos.deliveries.eventMessage(id) };
  return {
    digest: async (period, signal) => {
      const outcome = await sendDigest({ store: digestStore, send, clock }, period, signal);
      countDigest(metrics, outcome);
      return outcome;
    },
  };
}
