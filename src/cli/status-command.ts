import type { Command } from 'commander';
import { cadenceLines } from '../app/cadence-status.js';
import { statusReport } from '../wiring/status-report.js';
import { calendarFrom } from '../wiring/check-deps.js';
import type { CliContext } from './context.js';
import { terminalSafe } from './terminal-text.js';

export function registerStatusCommand(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('customers, last sweep, recent events and dead deliveries')
    .option('--json', 'one JSON document')
    .action(async (opts: { json?: boolean }) => {
      const status = await statusReport({
        store: await ctx.store(),
        config: ctx.config(),
        calendar: calendarFrom(ctx.config()),
        now: ctx.clock(),
        queueClient: () => ctx.parts.queueClient(),
        cadencePlan: () => ctx.parts.cadencePlan(),
        configuredChannels: ctx.parts.configuredChannels(),
        onQueuesUnavailable: (message) => { ctx.err(`warning: queue counts unavailable: ${message}`); },
      });
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
      const { queues } = status;
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
