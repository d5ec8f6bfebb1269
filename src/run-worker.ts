/**
 * Wiring of the daemon (`credit-monitor worker`): part of the composition root, kept apart from
 * main.ts only for size. Constructs Redis, queues, workers, channels and the health server. Longer
 * than our 300-line guide on purpose: the daemon's whole wiring reads top to bottom in one place.
 */
import { Worker } from 'bullmq';
import { checkCustomer, type CheckOutcome } from './app/check-customer.js';
import { deliverOne, type DeliveryStore } from './app/deliver.js';
import { runEscalations } from './app/escalate.js';
import { sendDigest } from './app/send-digest.js';
import type { Config } from './config/load-config.js';
import { startHealthServer, type Readiness } from './http/health-server.js';
import { workerReadiness } from './http/worker-readiness.js';
import { createResourceStack, delay, type ResourceStack } from './jobs/resource-stack.js';
import { createMetrics, type Metrics } from './http/metrics.js';
import { createDeliverProcessor, enqueueDelivery } from './jobs/deliver.processor.js';
import { redisDataDir, resolveRedis } from './jobs/embedded-redis.js';
import { startMaintenance } from './jobs/maintenance.js';
import { QUEUE } from './jobs/queue-names.js';
import { createQueues } from './jobs/queues.js';
import { checkRedis, createRedis } from './jobs/redis-connection.js';
import { createScanProcessor } from './jobs/scan.processor.js';
import { requeueOpenRescans } from './jobs/rescan-rebuild.js';
import { createCallBudget } from './jobs/call-budget.js';
import { createProviderCallCounter } from './jobs/provider-call-counter.js';
import { createProviderStopControl } from './jobs/provider-stop-control.js';
import { createSweepProcessor } from './jobs/sweep.processor.js';
import { isOptionalSection, SECTION_NAMES } from './domain/sections.js';
import type { Logger } from './logger.js';
import { createOncePerStreak } from './app/once-per-streak.js';
import {
  configuredChannels,
  createCheckDeps,
  createProviderGate,
  openChannels,
  openProvider,
  openStore,
  refuseImplicitProviderSwitch,
  seedSampleCustomers,
  WORKER_GATE_MAX_WAIT_MS,
  type Store,
} from './main.js';

export interface RunningWorker {
  /** Base URL of the health server, when it runs. */
  healthUrl: string | undefined;
  /** Graceful within `CM_SHUTDOWN_GRACE`, then forced; `force` skips the graceful part. */
  close(force?: boolean): Promise<void>;
}

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

export async function startWorker(config: Config, logger: Logger, options: WorkerOptions = {}): Promise<RunningWorker> {
  const resources = createResourceStack(logger);
  try {
    return await start(config, logger, options, resources);
  } catch (error) {
    await resources.closeAll();
    throw error;
  }
}

async function start(
  config: Config,
  logger: Logger,
  options: WorkerOptions,
  resources: ResourceStack,
): Promise<RunningWorker> {
  const store: Store = openStore(config);
  resources.push('sqlite', () => { store.close(); });
  await refuseImplicitProviderSwitch(config, store);

  const redisHandle = await resolveRedis({ redisUrl: config.redisUrl, dataDir: redisDataDir(config.dbPath), logger });
  resources.push('embedded redis', () => redisHandle.stop());
  const redis = createRedis(redisHandle.url, { role: 'worker', logger, connectionName: 'credit-monitor-worker' });
  resources.push('redis', async () => { await redis.quit().catch(() => { redis.disconnect(); }); });
  await checkRedis(redis, logger);

  // Every admitted provider call is counted per section and Asia/Shanghai day in Redis (fleet-wide).
  const calls = createProviderCallCounter(redis, config.queuePrefix, config.provider.kind);
  const gate = createProviderGate(config, redis, logger, WORKER_GATE_MAX_WAIT_MS);
  const providerHandle = await openProvider(config, logger, { gate });
  resources.push('provider', () => providerHandle.close());
  if (config.provider.implicit && !config.provider.url) await seedSampleCustomers(store, logger);

  const queues = createQueues(redis, config.queuePrefix);
  resources.push('queues', () => queues.close());
  const providerStop = createProviderStopControl({
    provider: config.provider.kind, store: store.repos.meta, scanQueue: queues.scan, logger, clock: Date.now,
  });
  // A restart is how an operator applies a new key: it clears an auth/quota stop (a refusal stops again).
  if (await providerStop.current()) await providerStop.resume('worker started');
  const budget = config.provider.dailyCallBudget === null
    ? undefined
    : createCallBudget({ dailyCallBudget: config.provider.dailyCallBudget, calls, redis, prefix: config.queuePrefix, logger, clock: Date.now });
  // Without a listener BullMQ prints connection errors with console.error, outside the JSON log.
  for (const queue of [queues.sweep, queues.scan, queues.deliver]) {
    queue.on('error', (error) => { logger.warn({ err: error.message, queue: queue.name }, 'queue error'); });
  }
  const metrics: Metrics = createMetrics({
    logger,
    queueDepth: async () => {
      const samples = [];
      for (const queue of [queues.scan, queues.deliver, queues.sweep]) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed');
        for (const [state, count] of Object.entries(counts)) samples.push({ queue: queue.name, state, count });
      }
      return samples;
    },
    provider: {
      provider: config.provider.kind,
      callsToday: async () => (await calls.today()).bySection,
      stopped: async () => (await providerStop.current()) !== undefined,
      dailyCallBudget: config.provider.dailyCallBudget,
    },
  });

  const checkDeps = createCheckDeps(config, store, providerHandle.provider);
  const opened = openChannels(config, logger);
  resources.push('channels', () => opened.close());
  for (const { channel, pending } of await store.repos.deliveries.pendingByChannel()) {
    if (!configuredChannels(config).includes(channel)) {
      logger.warn({ channel, pending }, `${pending} pending deliveries on channel ${channel}, which is not configured: they wait until it is`);
    }
  }
  const channels = opened.channels;
  const clock = Date.now;
  const deliveryStore: DeliveryStore = {
    ...store.repos.deliveries,
    disabledWebhookTargets: () => store.repos.alerts.disabledWebhookTargets(),
    disableWebhookTarget: (name, reason, at) => store.repos.alerts.disableWebhookTarget(name, reason, at),
  };
  /** Whether this process can send a delivery now (its channel exists, its webhook target is enabled). */
  const sendable = async <T extends { channel: string; target: string }>(rows: T[]): Promise<T[]> => {
    const disabled = new Set((await store.repos.alerts.disabledWebhookTargets()).map((t) => t.name));
    return rows.filter((d) => channels.has(d.channel) && !(d.channel === 'webhook' && disabled.has(d.target)));
  };

  const keptFieldsNotice = createOncePerStreak();
  const afterCheck = async (outcome: CheckOutcome, seconds: number): Promise<void> => {
    if (outcome.kind !== 'checked') {
      metrics.checkFinished(outcome.kind, seconds);
      return;
    }
    for (const section of SECTION_NAMES) {
      // An optional section that is off made no request; counting it "ok" would be a lie.
      if (isOptionalSection(section) && !config.provider.sections[section]) continue;
      const failed = outcome.failedSections.find((f) => f.section === section);
      metrics.providerRequest(config.provider.kind, section, failed ? failed.error.kind : 'ok');
    }
    metrics.checkFinished(outcome.failedSections.length > 0 ? 'failed' : outcome.events.length > 0 ? 'changed' : 'unchanged', seconds);
    for (const event of outcome.events) metrics.eventRecorded(event.type, event.tier);
    if (outcome.methodChanged) logger.info({ uscc: outcome.uscc }, 'provider or normaliser changed: re-baselined silently');
    const kept = outcome.keptFields.map((f) => `${f.field}:${f.reason}`).join(',');
    if (keptFieldsNotice(outcome.uscc, kept === '' ? null : kept)) {
      logger.warn({ uscc: outcome.uscc, keptFields: outcome.keptFields }, 'answer without some registration fields: their last known values were kept');
    }
    if (outcome.events.length === 0) return;
    // Enqueue at once rather than waiting for the relay: detection to delivery stays well under a second.
    const pending = await sendable(await store.repos.deliveries.listPendingForEvents(outcome.events.map((e) => e.id)));
    for (const d of pending) await enqueueDelivery(queues.deliver, d.id, d.attempts);
  };

  const workerOptions = {
    connection: redis,
    prefix: config.queuePrefix,
    // Every job here is idempotent (deterministic job, event and delivery ids), so a job whose worker
    // died mid-run is always safe to run again; BullMQ's default fails it after one such stall.
    maxStalledCount: 10,
    ...(options.stalledCheckMs === undefined ? {} : { lockDuration: options.stalledCheckMs, stalledInterval: options.stalledCheckMs }),
  };
  const scanWorker = new Worker(
    QUEUE.scan,
    createScanProcessor({
      check: (uscc, signal) => checkCustomer(checkDeps, uscc, signal),
      afterCheck,
      iterateUsccs: (filter) => store.repos.customers.iterateUsccs(filter),
      recordedRescan: async (requestId) => {
        const request = await store.repos.rescanRequests.find(requestId);
        return request && { force: request.force, pending: store.repos.rescanRequests.iteratePending(request) };
      },
      scanQueue: queues.scan,
      pausedForMs: () => gate.pause.pausedForMs(),
      providerStop,
      budget,
      logger,
    }),
    {
      ...workerOptions,
      concurrency: options.concurrency ?? config.scanConcurrency,
      // Jobs per second across every worker; the request limiter holds the exact per-request rate.
      limiter: { max: Math.max(1, Math.floor(config.provider.ratePerSecond)), duration: 1000 },
      maximumRateLimitDelay: 300_000,
    },
  );
  const sendDigestEmail = opened.sendDigest;
  const sweepWorker = new Worker(
    QUEUE.sweep,
    createSweepProcessor({
      dueCustomers: (now, pageSize, queuedBefore) => store.repos.customers.iterateDue(now, pageSize, { queuedBefore }),
      markQueued: (usccs, at) => store.repos.customers.markQueued(usccs, at),
      recordSweep: (at) => store.repos.meta.set('last_sweep_at', String(at)),
      scanQueue: queues.scan,
      clock,
      budget,
      providerStop,
      escalate: () =>
        runEscalations({
          store: store.repos.alerts,
          policy: config.escalation,
          clock,
          enqueue: async (ids) => {
            for (const id of ids) await enqueueDelivery(queues.deliver, id, 0);
          },
        }),
      logger,
      ...(sendDigestEmail === undefined
        ? {}
        : {
            digest: async (period: { date: string; cutoff: number }, signal: AbortSignal) => {
              const outcome = await sendDigest(
                { store: { ...store.repos.alerts, eventMessage: (id) => store.repos.deliveries.eventMessage(id) }, send: sendDigestEmail, clock },
                period,
                signal,
              );
              if (outcome.kind === 'sent' || outcome.kind === 'incomplete') {
                for (const r of outcome.recipients) metrics.delivery('email_digest', r.result === 'retry' ? 'failed' : r.result);
              }
              return outcome;
            },
          }),
    }),
    { ...workerOptions, concurrency: 1 },
  );
  const deliverWorker = new Worker(
    QUEUE.deliver,
    createDeliverProcessor({
      deliver: (id, signal) =>
        deliverOne(
          {
            store: deliveryStore,
            channels,
            clock,
            random: Math.random,
            ...(options.deliveryRetryBaseMs === undefined ? {} : { retryBaseMs: options.deliveryRetryBaseMs }),
          },
          id,
          signal,
        ),
      afterDelivery: (outcome) => {
        if (outcome.kind !== 'skipped') metrics.delivery(outcome.channel, outcome.kind === 'retry' ? 'failed' : outcome.kind);
      },
      deliverQueue: queues.deliver,
      clock,
      logger,
    }),
    { ...workerOptions, concurrency: 4 },
  );
  const workers = [scanWorker, sweepWorker, deliverWorker];
  for (const worker of workers) {
    worker.on('error', (error) => { logger.warn({ err: error.message, queue: worker.name }, 'worker error'); });
    worker.on('failed', (job, error) => {
      logger.warn({ queue: worker.name, jobId: job?.id, err: error.message }, 'job failed');
    });
  }
  resources.push('workers', async () => { await Promise.allSettled(workers.map((w) => w.close(true))); });

  const maintenance = startMaintenance({
    sweepQueue: queues.sweep,
    deliverQueue: queues.deliver,
    ...(options.sweepEveryMs === undefined ? {} : { sweepEveryMs: options.sweepEveryMs }),
    ...(options.maintenanceEveryMs === undefined ? {} : { intervalMs: options.maintenanceEveryMs }),
    // Filtered in SQL: thousands of digest rows waiting for the day's digest must not starve the relay.
    // The scheduler was gone: Redis lost its data (or this is its first start), and with it any
    // queued checks, so every due customer is enqueued again by the next tick.
    onSchedulerCreated: async () => {
      const cleared = await store.repos.customers.clearQueued();
      if (cleared > 0) logger.warn({ customers: cleared }, 'Redis lost its queues: re-enqueueing every due customer');
      // Manual re-scans asked through the CLI are in the store too: back on the queue, ahead of the rest.
      const requeued = await requeueOpenRescans({ ...store.repos.rescanRequests, scanQueue: queues.scan });
      if (requeued > 0) logger.warn({ requests: requeued }, 'Redis lost its queues: re-queueing the manual re-scans still in progress');
    },
    housekeeping: async () => { await store.repos.rescanRequests.clearDone(); },
    pendingDeliveries: async (dueBy, limit) =>
      store.repos.deliveries.listPending(limit, {
        dueBy,
        channels: [...channels.keys()],
        excludeWebhookTargets: (await store.repos.alerts.disabledWebhookTargets()).map((t) => t.name),
      }),
    digestTime: opened.sendDigest === undefined ? undefined : config.digestTime,
    clock,
    logger,
  });
  resources.push('maintenance', () => maintenance.stop());
  await maintenance.runOnce();

  const readiness = (): Promise<Readiness> =>
    workerReadiness({
      // The worker connection queues commands while Redis is away; bound the wait to answer promptly.
      pingRedis: () => Promise.race([redis.ping().then(() => true, () => false), delay(1000, false)]),
      pingSqlite: () => { store.handle.sqlite.prepare('select 1').get(); },
      stoppedWorkers: () => workers.filter((w) => !w.isRunning()).map((w) => w.name),
      lastMaintenanceRound: () => maintenance.lastRoundAt(),
      maxRoundAgeMs: 4 * (options.maintenanceEveryMs ?? 15_000),
      clock,
    });
  const health = await startHealthServer({ port: options.httpPort ?? config.httpPort, host: config.httpHost, metrics, readiness, logger });
  if (health) resources.push('health server', () => health.close());
  logger.info(
    { provider: config.provider.kind, queuePrefix: config.queuePrefix, redis: redisHandle.source, health: health?.url },
    'worker started',
  );

  let closing: Promise<void> | undefined;
  return {
    healthUrl: health?.url,
    close: (force = false) => {
      if (force) {
        // Abort in-flight checks; stalled jobs are picked up again after a restart.
        for (const worker of workers) worker.cancelAllJobs('shutdown');
        return (closing = resources.closeAll());
      }
      return (closing ??= (async () => {
        await maintenance.stop();
        const graceful = Promise.allSettled(workers.map((w) => w.close()));
        if ((await Promise.race([graceful, delay(config.shutdownGraceMs, 'timeout' as const)])) === 'timeout') {
          logger.warn({ graceMs: config.shutdownGraceMs }, 'shutdown grace exceeded: forcing');
          for (const worker of workers) worker.cancelAllJobs('shutdown');
        }
        await resources.closeAll();
      })());
    },
  };
}
