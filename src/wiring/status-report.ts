/**
 * What `status` reports (and `GET /api/status`, and the console's overview): one gathering of the
 * store's and the queues' figures. Queue figures are null when Redis does not answer.
 */
import type { Config } from '../config/load-config.js';
import { calendarWarning, longestDeadlineDays } from '../domain/case-deadlines.js';
import type { CadencePlan } from '../domain/grade-cadence.js';
import type { Grade } from '../domain/grades.js';
import type { WorkdayCalendar } from '../domain/workday-calendar.js';
import type { ProviderCallsToday } from '../jobs/provider-call-counter.js';
import type { Repositories } from '../store/create-repositories.js';
import { cadenceStatus, startOfShanghaiDay } from '../app/cadence-status.js';
import { failingChannels } from './failing-channels.js';
import { readProviderStop } from '../app/provider-stop.js';

const DAY_MS = 86_400_000;

export interface StatusReportDeps {
  store: { dialect: string; location: string; repos: Repositories };
  config: Readonly<Config>;
  calendar: WorkdayCalendar;
  now: number;
  queueClient(): Promise<{
    counts(): Promise<Record<string, Record<string, number>>>;
    providerCallsToday(): Promise<ProviderCallsToday>;
    gradeChecksToday(): Promise<{ byGrade: Record<Grade, number> }>;
  }>;
  cadencePlan(): Promise<CadencePlan>;
  /** The outbox channels a worker with this configuration sends. */
  configuredChannels: readonly string[];
  /** Told why the queue figures are missing (Redis down). */
  onQueuesUnavailable?: (message: string) => void;
}

export type StatusReport = Awaited<ReturnType<typeof statusReport>>;

export async function statusReport(deps: StatusReportDeps) {
  const { store, config, now } = deps;
  const { repos } = store;
  const lastSweep = await repos.meta.get('last_sweep_at');
  let queues: Record<string, Record<string, number>> | null = null;
  let calls: ProviderCallsToday | null = null;
  let gradeChecks: Record<Grade, number> | null = null;
  try {
    const client = await deps.queueClient();
    queues = await client.counts();
    calls = await client.providerCallsToday();
    gradeChecks = (await client.gradeChecksToday()).byGrade;
  } catch (error) {
    deps.onQueuesUnavailable?.((error as Error).message);
  }
  return {
    // Which store this answer comes from (a URL's password is never shown).
    store: { dialect: store.dialect, location: store.location },
    customers: await repos.customers.counts(now),
    queues,
    lastSweepAt: lastSweep === undefined ? null : new Date(Number(lastSweep)).toISOString(),
    eventsLast24h: await repos.events.countByTierSince(now - DAY_MS),
    deadDeliveries: await repos.deliveries.countDead(),
    // An auth/quota refusal stopped the scan queue (null: running).
    providerStop: (await readProviderStop(repos.meta)) ?? null,
    providerCalls: calls === null ? null : { ...calls, dailyCallBudget: config.provider.dailyCallBudget },
    // Channels and targets whose latest attempt failed, and channels with rows but no configuration.
    failingChannels: failingChannels(await repos.deliveries.failingTargets(), await repos.deliveries.pendingByChannel(), deps.configuredChannels),
    // What each grade gets today: the workers' cadence plan, and the checks and customers checked today.
    cadence: cadenceStatus(
      await deps.cadencePlan(),
      await repos.customers.checkedByGradeSince(startOfShanghaiDay(now)),
      calls === null || gradeChecks === null ? null : { calls: calls.total, checks: gradeChecks },
      now,
    ),
    // Open and overdue cases, and whether deadlines counted now may rest on missing calendar data.
    cases: await repos.cases.counts(now),
    calendar: {
      lastCoveredYear: deps.calendar.lastCoveredYear,
      warning: calendarWarning(deps.calendar, now, longestDeadlineDays(config.cases.deadlines)) ?? null,
    },
  };
}
