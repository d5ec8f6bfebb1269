import type { Command } from 'commander';
import { readProviderStop } from '../app/provider-stop.js';
import { calendarWarning, longestDeadlineDays } from '../domain/case-deadlines.js';
import type { Grade } from '../domain/grades.js';
import { calendarFrom } from '../wiring/check-deps.js';
import type { ProviderCallsToday } from '../jobs/provider-call-counter.js';
import { cadenceLines, cadenceStatus, startOfShanghaiDay } from './cadence-status.js';
import type { CliContext } from './context.js';
import { failingChannels } from './failing-channels.js';
import { terminalSafe } from './terminal-text.js';

const DAY_MS = 86_400_000;

export function registerStatusCommand(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('customers, last sweep, recent events and dead deliveries')
    .option('--json', 'one JSON document')
    .action(async (opts: { json?: boolean }) => {
      const store = await ctx.store();
      const { repos } = store;
      const now = ctx.clock();
      const lastSweep = await repos.meta.get('last_sweep_at');
      let queues: Record<string, Record<string, number>> | null = null;
      let calls: ProviderCallsToday | null = null;
      let gradeChecks: Record<Grade, number> | null = null;
      try {
        const client = await ctx.parts.queueClient();
        queues = await client.counts();
        calls = await client.providerCallsToday();
        gradeChecks = (await client.gradeChecksToday()).byGrade;
      } catch (error) {
        ctx.err(`warning: queue counts unavailable: ${(error as Error).message}`);
      }
      const status = {
        // Which store this answer comes from (a URL's password is never shown).
        store: { dialect: store.dialect, location: store.location },
        customers: await repos.customers.counts(now),
        queues,
        lastSweepAt: lastSweep === undefined ? null : new Date(Number(lastSweep)).toISOString(),
        eventsLast24h: await repos.events.countByTierSince(now - DAY_MS),
        deadDeliveries: await repos.deliveries.countDead(),
        // An auth/quota refusal stopped the scan queue (null: running).
        providerStop: (await readProviderStop(repos.meta)) ?? null,
        providerCalls: calls === null ? null : { ...calls, dailyCallBudget: ctx.config().provider.dailyCallBudget },
        // Channels and targets whose latest attempt failed, and channels with rows but no configuration.
        failingChannels: failingChannels(
          await repos.deliveries.failingTargets(),
          await repos.deliveries.pendingByChannel(),
          ctx.parts.configuredChannels(),
        ),
        // What each grade gets today: the workers' cadence plan, and the checks and customers checked today.
        cadence: cadenceStatus(
          await ctx.parts.cadencePlan(),
          await repos.customers.checkedByGradeSince(startOfShanghaiDay(now)),
          calls === null || gradeChecks === null ? null : { calls: calls.total, checks: gradeChecks },
          now,
        ),
        // Open and overdue cases, and whether deadlines counted now may rest on missing calendar data.
        cases: await repos.cases.counts(now),
        calendar: calendarStatus(ctx, now),
      };
      if (opts.json) {
        ctx.out(JSON.stringify(status));
        return;
      }
      const c = status.customers;
      ctx.out(terminalSafe(`store: ${status.store.dialect} ${status.store.location}`));
      ctx.out(`customers: ${c.total} total, ${c.paused} paused, ${c.due} due, ${c.failing} failing`);
      ctx.out(`last sweep: ${status.lastSweepAt ?? 'never'}`);
      ctx.out(`events in the last 24 h: ${Object.entries(status.eventsLast24h).map(([t, n]) => `${t} ${n}`).join(', ')}`);
      ctx.out(`dead deliveries: ${status.deadDeliveries}`);
      if (status.failingChannels.length === 0) ctx.out('failing channels: none');
      for (const f of status.failingChannels) {
        const attempts = f.failedAttempts > 0 ? `, ${f.failedAttempts} failed attempt(s)` : '';
        ctx.out(terminalSafe(`failing: ${f.channel} ${f.target} since ${f.since}${attempts}: ${f.lastError ?? 'unknown error'}`));
      }
      const stop = status.providerStop;
      if (stop) {
        const until = stop.resumeAt === null ? 'until "credit-monitor provider resume" or a worker restart' : `until ${stop.resumeAt}`;
        ctx.out(`provider ${stop.provider}: STOPPED since ${stop.at} (${stop.kind}: ${stop.message}), ${until}`);
      }
      const pc = status.providerCalls;
      if (pc) {
        const budget = pc.dailyCallBudget === null ? 'no budget' : `budget ${pc.dailyCallBudget}`;
        const sections = Object.entries(pc.bySection).map(([section, n]) => `${section} ${n}`).join(', ');
        ctx.out(`provider ${pc.provider} calls on ${pc.day}: ${pc.total} (${budget})${sections ? `: ${sections}` : ''}`);
      }
      if (queues) {
        for (const [name, counts] of Object.entries(queues)) {
          ctx.out(`queue ${name}: ${Object.entries(counts).map(([state, n]) => `${state} ${n}`).join(', ')}`);
        }
      }
      for (const line of cadenceLines(status.cadence)) ctx.out(line);
      const cs = status.cases;
      ctx.out(`cases: ${cs.open} open, ${cs.acknowledged} acknowledged, ${cs.overdue} overdue`);
      ctx.out(`working-day calendar: data to ${status.calendar.lastCoveredYear}${status.calendar.warning === null ? '' : ` WARNING ${status.calendar.warning}`}`);
    });
}

function calendarStatus(ctx: CliContext, now: number): { lastCoveredYear: number; warning: string | null } {
  const config = ctx.config();
  const calendar = calendarFrom(config);
  return { lastCoveredYear: calendar.lastCoveredYear, warning: calendarWarning(calendar, now, longestDeadlineDays(config.cases.deadlines)) ?? null };
}
