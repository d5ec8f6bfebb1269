#!/usr/bin/env node
import { Command } from 'commander';
import { registerAlertsCommand, registerAlertsMaintenanceCommands } from './cli/alerts-command.js';
import { registerCasesCommand } from './cli/cases-command.js';
import { registerCheckCommand } from './cli/check-command.js';
import { createCliContext } from './cli/context.js';
import { registerDbCommand } from './cli/db-command.js';
import { registerCustomersCommand } from './cli/customers-command.js';
import { registerDemoCommand } from './cli/demo-command.js';
import { registerEventsCommand } from './cli/events-command.js';
import { describeFailure } from './cli/exit.js';
import { registerFiguresCommand } from './cli/figures-command.js';
import { registerMigrateCommand } from './cli/migrate-command.js';
import { registerMockProviderCommand } from './cli/mock-provider-command.js';
import { registerProviderCommand } from './cli/provider-command.js';
import { registerRescanCommand } from './cli/rescan-command.js';
import { registerStatusCommand } from './cli/status-command.js';
import { terminalSafe } from './cli/terminal-text.js';
import { registerWorkerCommand } from './cli/worker-command.js';

/** Multi-line text for the terminal: each line escaped (see terminalSafe), the line breaks kept. */
const safeLines = (text: string): string => text.split('\n').map(terminalSafe).join('\n');

const verbose = process.argv.includes('--verbose');
const ctx = createCliContext();
const program = new Command('credit-monitor')
  .description('Watches customers for regulatory credit trouble in China and raises tiered warnings')
  .option('--verbose', 'print stack traces of errors')
  .exitOverride()
  .showHelpAfterError(false)
  // Commander echoes what was typed (an unknown option, a bad value): escaped, its own line breaks kept.
  .configureOutput({ writeErr: (text) => process.stderr.write(safeLines(text)) });

registerMigrateCommand(program, ctx);
registerDbCommand(program, ctx);
registerCustomersCommand(program, ctx);
registerFiguresCommand(program, ctx);
registerCheckCommand(program, ctx);
registerEventsCommand(program, ctx);
registerAlertsCommand(program, ctx);
registerAlertsMaintenanceCommands(program, ctx);
registerCasesCommand(program, ctx);
registerStatusCommand(program, ctx);
registerMockProviderCommand(program, ctx);
registerDemoCommand(program, ctx);
registerWorkerCommand(program, ctx);
registerRescanCommand(program, ctx);
registerProviderCommand(program, ctx);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const { exitCode, line } = describeFailure(error);
  // Commander has already printed its own usage errors.
  if (!(error instanceof Error && 'code' in error && String(error.code).startsWith('commander.'))) {
    ctx.err(`credit-monitor: ${line}`);
  }
  if (verbose && error instanceof Error && error.stack) process.stderr.write(`${safeLines(error.stack)}\n`);
  process.exitCode = exitCode;
} finally {
  await ctx.close();
}
