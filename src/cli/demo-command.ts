import type { Command } from 'commander';
import { checkCustomer } from '../app/check-customer.js';
import { AppError } from '../errors.js';
import type { CliContext } from './context.js';
import { formatEventLine } from './format-event.js';

export function registerDemoCommand(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description('import the sample customers and check each once against the built-in mock provider')
    .action(async () => {
      const config = ctx.config();
      if (!config.provider.implicit || config.provider.url) {
        throw new AppError('USAGE', 'demo runs only with the built-in mock provider: unset CM_PROVIDER and CM_PROVIDER_URL');
      }
      const store = await ctx.store();
      const summary = await ctx.parts.importSampleCustomers(ctx.actor);
      ctx.out(`imported ${summary.imported} sample customers into ${store.location}`);
      const deps = await ctx.parts.demoCheckDeps();
      let total = 0;
      for await (const uscc of store.repos.customers.iterateUsccs()) {
        const outcome = await checkCustomer(deps, uscc, AbortSignal.timeout(60_000));
        if (outcome.kind === 'checked') total += outcome.events.length;
      }
      const events = await store.repos.events.query({ limit: Math.max(total, 1) });
      for (const e of events.reverse()) ctx.out(formatEventLine(e));
      ctx.out(`${total} new event(s). Try: CM_DB=${store.location} node dist/cli.js events --tier critical`);
    });
}
