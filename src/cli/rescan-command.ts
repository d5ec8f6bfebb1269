import type { Command } from 'commander';
import { AppError } from '../app/errors.js';
import { openQueueClient } from '../main.js';
import type { CliContext } from './context.js';
import { collect, usccOption } from './parse-options.js';

/** Adds the public `rescan` job to the `scan` queue, exactly as any other BullMQ client may. */
export function registerRescanCommand(program: Command, ctx: CliContext): void {
  program
    .command('rescan')
    .description('re-scan customers now, ahead of scheduled work (through the queue)')
    .option('--uscc <code>', 'customer code (repeatable)', collect, [])
    .option('--all', 'every monitored customer')
    .option('--tag <tag>', 'every monitored customer with this tag')
    .action(async (opts: { uscc: string[]; all?: boolean; tag?: string }) => {
      const modes = [opts.uscc.length > 0, opts.all === true, opts.tag !== undefined].filter(Boolean).length;
      if (modes !== 1) throw new AppError('USAGE', 'give exactly one of --uscc CODE..., --all or --tag T');
      const codes = opts.uscc.map((code) => usccOption(code, true).uscc);
      const { repos } = ctx.store();
      for (const uscc of codes) {
        if (!(await repos.customers.findByUscc(uscc))) throw new AppError('NOT_FOUND', `--uscc ${uscc}: no such customer`);
      }
      const queue = await openQueueClient(ctx.config(), ctx.logger());
      ctx.onClose(() => queue.close());
      const requests = opts.all ? [{ all: true }] : opts.tag !== undefined ? [{ tag: opts.tag }] : codes.map((uscc) => ({ uscc }));
      const ids = await queue.addRescans(requests);
      await repos.auditLog.record({ actor: ctx.actor, action: 'rescan', subject: JSON.stringify(requests), details: { jobIds: ids } }, Date.now());
      ctx.out(`queued ${ids.length} rescan job(s): ${ids.join(', ')}`);
    });
}
