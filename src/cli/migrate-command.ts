import type { Command } from 'commander';
import type { CliContext } from './context.js';

export function registerMigrateCommand(program: Command, ctx: CliContext): void {
  program
    .command('migrate')
    .description('create or upgrade the store CM_DB names (SQLite file or PostgreSQL URL)')
    .action(async () => {
      const store = await ctx.store(); // opening applies every pending migration
      ctx.out(`migrated ${store.location}`);
    });
}
