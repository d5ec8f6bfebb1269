import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';
import { withTimeout } from './with-timeout.js';

/** Fleet-wide provider facts, read on each scrape (from Redis and SQLite). */
export interface ProviderMetricsSource {
  /** The configured provider's id, the `provider` label. */
  provider: string;
  /** Calls today (Asia/Shanghai day) per section, across every worker. */
  callsToday(): Promise<Readonly<Record<string, number>>>;
  /** Whether the scan queue is stopped for an `auth` or `quota` answer. */
  stopped(): Promise<boolean>;
  /** The daily call budget, or null for none. */
  dailyCallBudget: number | null;
}

/**
 * `credit_monitor_provider_calls_today{provider,section}`, `credit_monitor_provider_stopped{provider}`
 * (1 while stopped: the series to alert on) and `credit_monitor_provider_daily_call_budget{provider}`.
 * A source that fails or is slow leaves its series out of that scrape rather than showing stale numbers.
 */
export function createProviderGauges(registry: Registry, source: ProviderMetricsSource, timeoutMs: number, logger?: Logger): void {
  const { provider } = source;
  const registers = [registry];
  const onError = (what: string, error: unknown): void => {
    logger?.warn({ err: error instanceof Error ? error.message : String(error) }, `cannot read ${what} for /metrics`);
  };
  new Gauge({
    name: 'credit_monitor_provider_calls_today',
    help: 'Provider calls (HTTP requests) today, Asia/Shanghai day, by section, across every worker.',
    labelNames: ['provider', 'section'] as const,
    registers,
    async collect() {
      this.reset();
      try {
        const calls = await withTimeout(source.callsToday(), timeoutMs);
        for (const [section, count] of Object.entries(calls)) this.set({ provider, section }, count);
      } catch (error) {
        onError('provider calls', error);
      }
    },
  });
  new Gauge({
    name: 'credit_monitor_provider_stopped',
    help: '1 while the scan queue is stopped because the provider refused our credentials or quota.',
    labelNames: ['provider'] as const,
    registers,
    async collect() {
      this.reset();
      try {
        this.set({ provider }, (await withTimeout(source.stopped(), timeoutMs)) ? 1 : 0);
      } catch (error) {
        onError('provider stop', error);
      }
    },
  });
  if (source.dailyCallBudget !== null) {
    const budget = new Gauge({
      name: 'credit_monitor_provider_daily_call_budget',
      help: 'The configured daily provider call budget (provider.dailyCallBudget).',
      labelNames: ['provider'] as const,
      registers,
    });
    budget.set({ provider }, source.dailyCallBudget);
  }
}
