import type { Command } from 'commander';
import { openQueueClient } from '../main.js';
import type { CliContext } from './context.js';

const DAY_MS = 86_400_000;

export function registerStatusCommand(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('customers, last sweep, recent events and dead deliveries')
    .option('--json', 'one JSON document')
    .action(async (opts: { json?: boolean }) => {
      const { repos } = ctx.store();
      const now = Date.now();
      const lastSweep = await repos.meta.get('last_sweep_at');
      let queues: Record<string, Record<string, number>> | null = null;
      try {
        const client = await openQueueClient(ctx.config(), ctx.logger());
        ctx.onClose(() => client.close());
        queues = await client.counts();
      } catch (error) {
        process.stderr.write(`warning: queue counts unavailable: ${(error as Error).message}\n`);
      }
      const status = {
        customers: await repos.customers.counts(now),
        queues,
        lastSweepAt: lastSweep === undefined ? null : new Date(Number(lastSweep)).toISOString(),
        eventsLast24h: await repos.events.countByTierSince(now - DAY_MS),
        deadDeliveries: await repos.deliveries.countDead(),
      };
      if (opts.json) {
        ctx.out(JSON.stringify(status));
        return;
      }
      const c = status.customers;
      ctx.out(`customers: ${c.total} total, ${c.paused} paused, ${c.due} due, ${c.failing} failing`);
      ctx.out(`last sweep: ${status.lastSweepAt ?? 'never'}`);
      ctx.out(`events in the last 24 h: ${Object.entries(status.eventsLast24h).map(([t, n]) => `${t} ${n}`).join(', ')}`);
      ctx.out(`dead deliveries: ${status.deadDeliveries}`);
      if (queues) {
        for (const [name, counts] of Object.entries(queues)) {
          ctx.out(`queue ${name}: ${Object.entries(counts).map(([state, n]) => `${state} ${n}`).join(', ')}`);
        }
      }
    });
}
