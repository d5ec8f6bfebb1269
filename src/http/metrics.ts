import type { Logger } from 'pino';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EventType, Tier } from '../domain/events.js';
import type { ProviderErrorKind, SectionName } from '../domain/sections.js';
import { createProviderGauges, type ProviderMetricsSource } from './provider-gauges.js';
import { withTimeout } from './with-timeout.js';

/** How a check ended; `changed` means it stored a new snapshot. */
export const CHECK_RESULTS = ['changed', 'unchanged', 'failed', 'rate_limited', 'provider_stopped', 'unknown_customer'] as const;
export type CheckResult = (typeof CHECK_RESULTS)[number];

/** One provider HTTP call (one page of one section): `ok`, or why it failed. */
export type ProviderRequestOutcome = 'ok' | ProviderErrorKind;

/** One delivery attempt: `sent`, `failed` (will be retried) or `dead` (given up). */
export const DELIVERY_RESULTS = ['sent', 'failed', 'dead'] as const;
export type DeliveryResult = (typeof DELIVERY_RESULTS)[number];

/** One `credit_monitor_queue_depth` sample, e.g. `{ queue: 'scan', state: 'waiting', count: 12 }`. */
export interface QueueDepthSample {
  queue: string;
  /** A BullMQ job state: waiting, active, delayed, prioritized, failed, … */
  state: string;
  count: number;
}

/** Reads queue depths on each scrape (e.g. BullMQ `getJobCounts` per queue). */
export type QueueDepthSource = () => Promise<readonly QueueDepthSample[]>;

export interface MetricsOptions {
  /** Queue depths, read on scrape. Without it `credit_monitor_queue_depth` has no samples. */
  queueDepth?: QueueDepthSource;
  /**
   * How long a scrape waits for `queueDepth`, in ms. Default 2000. A scrape must not hang while
   * Redis is away; the series is then left out of that scrape rather than showing stale numbers.
   */
  queueDepthTimeoutMs?: number;
  /** Logs a failing `queueDepth` (once per run of failures). */
  logger?: Logger;
  /** Provider calls today and the provider stop, read on scrape; no such series without it. */
  provider?: ProviderMetricsSource;
  /** The store this process uses: `credit_monitor_store_info{dialect}` is 1 for it. No such series without it. */
  storeDialect?: 'sqlite' | 'postgres';
}

/** What the rest of the daemon records; nothing outside this file touches prom-client. */
export interface Metrics {
  /** A check finished with `result` after `seconds` (wall time, fetch to commit). */
  checkFinished(result: CheckResult, seconds: number): void;
  /** One provider request for one section of one customer. */
  providerRequest(provider: string, section: SectionName, outcome: ProviderRequestOutcome): void;
  /** An event was stored (counted once, when it is first recorded). */
  eventRecorded(type: EventType, tier: Tier): void;
  /** A delivery attempt on `channel` (`webhook`, `email`) ended with `result`. */
  delivery(channel: string, result: DeliveryResult): void;
  /** Every series in the Prometheus text format, for `/metrics`. */
  render(): Promise<string>;
  /** The content type that goes with {@link Metrics.render}'s output. */
  readonly contentType: string;
}

/** 10 ms to 30 s: a mock-provider check takes milliseconds, a paged provider check with retries tens of seconds. */
const CHECK_DURATION_BUCKETS_S = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30];

/**
 * Creates the daemon's metrics on a private Registry (never prom-client's global one, so that tests
 * and several instances in one process do not collide), with the default process and Node.js series.
 */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const checks = new Counter({
    name: 'credit_monitor_checks_total',
    help: 'Customer checks by result.',
    labelNames: ['result'] as const,
    registers,
  });
  // Known label values start at 0, so that rate() and absent-series alerts work from the first scrape.
  for (const result of CHECK_RESULTS) checks.inc({ result }, 0);
  const checkDuration = new Histogram({
    name: 'credit_monitor_check_duration_seconds',
    help: 'Wall time of one customer check, fetch to commit.',
    buckets: CHECK_DURATION_BUCKETS_S,
    registers,
  });
  const providerRequests = new Counter({
    name: 'credit_monitor_provider_requests_total',
    help: 'Provider requests by provider, section and outcome.',
    labelNames: ['provider', 'section', 'outcome'] as const,
    registers,
  });
  const events = new Counter({
    name: 'credit_monitor_events_total',
    help: 'Events recorded, by type and tier.',
    labelNames: ['type', 'tier'] as const,
    registers,
  });
  const deliveries = new Counter({
    name: 'credit_monitor_deliveries_total',
    help: 'Delivery attempts by channel and result.',
    labelNames: ['channel', 'result'] as const,
    registers,
  });
  createQueueDepthGauge(registry, options);
  if (options.storeDialect !== undefined) {
    // An info gauge (always 1): dashboards join on it, and a fleet mid-migration shows both dialects.
    new Gauge({
      name: 'credit_monitor_store_info',
      help: 'The store this process uses (dialect sqlite or postgres); always 1.',
      labelNames: ['dialect'] as const,
      registers,
    }).set({ dialect: options.storeDialect }, 1);
  }
  if (options.provider) createProviderGauges(registry, options.provider, options.queueDepthTimeoutMs ?? 2000, options.logger);

  return {
    checkFinished(result, seconds) {
      checks.inc({ result });
      checkDuration.observe(seconds);
    },
    providerRequest(provider, section, outcome) {
      providerRequests.inc({ provider, section, outcome });
    },
    eventRecorded(type, tier) {
      events.inc({ type, tier });
    },
    delivery(channel, result) {
      deliveries.inc({ channel, result });
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}

function createQueueDepthGauge(registry: Registry, options: MetricsOptions): void {
  const { queueDepth, logger, queueDepthTimeoutMs = 2000 } = options;
  let failing = false;
  new Gauge({
    name: 'credit_monitor_queue_depth',
    help: 'Jobs per queue and state, read from Redis on scrape.',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      if (queueDepth === undefined) return;
      let samples: readonly QueueDepthSample[];
      try {
        samples = await withTimeout(queueDepth(), queueDepthTimeoutMs);
      } catch (error) {
        this.reset();
        if (!failing) logger?.warn({ err: error instanceof Error ? error.message : String(error) }, 'cannot read queue depths for /metrics');
        failing = true;
        return;
      }
      failing = false;
      // Reset first: a state that vanished from the counts must not keep its last value.
      this.reset();
      for (const { queue, state, count } of samples) this.set({ queue, state }, count);
    },
  });
}
