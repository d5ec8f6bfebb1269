import type { Command } from 'commander';
import type { CliContext } from './context.js';

export function registerMigrateCommand(program: Command, ctx: CliContext): void {
  program
    .command('migrate')
    .description('create or upgrade the SQLite store (CM_DB)')
    .action(() => {
      const store = ctx.store(); // opening applies every pending migration
      ctx.out(`migrated ${store.handle.path}`);
    });
}
