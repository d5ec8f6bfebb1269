import type { Command } from 'commander';
import { AppError } from '../errors.js';
import { callsPerCheck, requestRescans, type FanOutCost, type RescanScope } from '../app/request-rescan.js';
import type { CliContext } from './context.js';
import { collect, usccOption } from './parse-options.js';

/**
 * Records each re-scan in the store, then adds the public `rescan` job to the `scan` queue, exactly
 * as any other BullMQ client may (plus the id of the stored request, so the worker can rebuild it).
 */
export function registerRescanCommand(program: Command, ctx: CliContext): void {
  program
    .command('rescan')
    .description('re-scan customers now, ahead of scheduled work (through the queue)')
    .option('--uscc <code>', 'customer code (repeatable)', collect, [])
    .option('--all', 'every monitored customer')
    .option('--tag <tag>', 'every monitored customer with this tag')
    .option('--force', 'let an --all or --tag re-scan go over the daily provider call budget')
    .action(async (opts: { uscc: string[]; all?: boolean; tag?: string; force?: boolean }) => {
      const modes = [opts.uscc.length > 0, opts.all === true, opts.tag !== undefined].filter(Boolean).length;
      if (modes !== 1) throw new AppError('USAGE', 'give exactly one of --uscc CODE..., --all or --tag T');
      const codes = opts.uscc.map((code) => usccOption(code, true).uscc);
      const { repos } = await ctx.store();
      for (const uscc of codes) {
        if (!(await repos.customers.findByUscc(uscc))) throw new AppError('NOT_FOUND', `--uscc ${uscc}: no such customer`);
      }
      // Redis first: when it is unreachable nothing is recorded that would start later on its own.
      const config = ctx.config();
      const queue = await ctx.parts.queueClient();
      const scopes: RescanScope[] = opts.all ? [{ kind: 'all' }] : opts.tag !== undefined ? [{ kind: 'tag', tag: opts.tag }] : codes.map((uscc) => ({ kind: 'uscc', uscc }));
      const what = opts.all ? '--all' : `--tag ${opts.tag ?? ''}`;
      const outcome = await requestRescans(
        {
          store: repos.rescanRequests,
          enqueue: (requests) => queue.addRescans(requests),
          budget: { dailyCallBudget: config.provider.dailyCallBudget, usedToday: async () => (await queue.providerCallsToday()).total },
          callsPerCheck: callsPerCheck(config.provider.sections),
        },
        { scopes, force: opts.force === true, actor: ctx.actor, now: ctx.clock() },
      );
      if (outcome.kind === 'over_budget') {
        throw new AppError('INPUT_REJECTED', `rescan ${what}: ${describeCost(outcome.cost)}; nothing queued (add --force to go over the budget, or narrow it with --tag or --uscc)`);
      }
      await repos.auditLog.record(
        {
          actor: ctx.actor,
          action: 'rescan',
          subject: JSON.stringify(scopes),
          details: {
            jobIds: outcome.jobIds,
            requestIds: outcome.requests.map((r) => r.id),
            force: opts.force === true,
            ...(outcome.cost === undefined ? {} : { estimatedCalls: outcome.cost.estimatedCalls, remainingBudget: outcome.cost.remaining }),
          },
        },
        ctx.clock(),
      );
      ctx.out(`queued ${outcome.jobIds.length} rescan job(s): ${outcome.jobIds.join(', ')}`);
      if (outcome.cost !== undefined) ctx.out(`rescan ${what}: ${describeCost(outcome.cost)}`);
    });
}

/** "about 12 provider calls (4 customers × 3 sections); 988 of today's budget of 1000 left" */
function describeCost(cost: FanOutCost): string {
  const estimate = `about ${cost.estimatedCalls} provider calls (${cost.customers} customers × ${cost.callsPerCheck} sections)`;
  if (cost.remaining === null || cost.dailyCallBudget === null) return `${estimate}; no daily call budget set`;
  const left = `${cost.remaining} of today's budget of ${cost.dailyCallBudget} left`;
  const over = cost.estimatedCalls - cost.remaining;
  return over > 0 ? `${estimate} but only ${left}: about ${over} over` : `${estimate}; ${left}`;
}
