/** `customers show --uscc CODE [--json]`: one customer whole (see customer-view.ts for what and why). */
import type { Command } from 'commander';
import { AppError } from '../errors.js';
import { customerDetail } from '../wiring/customer-detail.js';
import type { CliContext } from './context.js';
import { customerViewLines } from './customer-view-text.js';
import { usccOption } from './parse-options.js';

export function registerCustomersShowCommand(customers: Command, ctx: CliContext): void {
  customers
    .command('show')
    .description('one customer whole: registration, list entries, grade and its rules, strategy, recent events')
    .requiredOption('--uscc <code>', 'unified social credit code')
    .option('--json', 'one JSON document')
    .option('--accept-check-digit-mismatch', 'accept a code whose only fault is its check digit')
    .action(async (opts: { uscc: string; json?: boolean; acceptCheckDigitMismatch?: boolean }) => {
      const { uscc } = usccOption(opts.uscc, opts.acceptCheckDigitMismatch);
      const config = ctx.config();
      const { repos } = await ctx.store();
      const view = await customerDetail(config, repos, uscc, ctx.clock());
      if (view === undefined) throw new AppError('NOT_FOUND', `--uscc ${uscc}: no such customer`);
      if (opts.json) {
        ctx.out(JSON.stringify(view));
        return;
      }
      for (const line of customerViewLines(view, config.language)) ctx.out(line);
    });
}
