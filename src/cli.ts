#!/usr/bin/env node
import { Command } from 'commander';
import { createCliContext, type CliContext } from './cli/context.js';
import { describeFailure } from './cli/exit.js';
import { terminalSafe } from './cli/terminal-text.js';

type Register = (program: Command, ctx: CliContext) => void;

/**
 * Each top-level command's module, loaded only when that command runs (or for help): a one-shot
 * command then loads its own code, not the daemon's, and starts in a fraction of the time.
 */
const COMMANDS: Record<string, () => Promise<Register[]>> = {
  migrate: async () => [(await import('./cli/migrate-command.js')).registerMigrateCommand],
  db: async () => [(await import('./cli/db-command.js')).registerDbCommand],
  customers: async () => [(await import('./cli/customers-command.js')).registerCustomersCommand],
  figures: async () => [(await import('./cli/figures-command.js')).registerFiguresCommand],
  check: async () => [(await import('./cli/check-command.js')).registerCheckCommand],
  events: async () => [(await import('./cli/events-command.js')).registerEventsCommand],
  alerts: async () => {
    const { registerAlertsCommand, registerAlertsMaintenanceCommands } = await import('./cli/alerts-command.js');
    return [registerAlertsCommand, registerAlertsMaintenanceCommands];
  },
  cases: async () => [(await import('./cli/cases-command.js')).registerCasesCommand],
  status: async () => [(await import('./cli/status-command.js')).registerStatusCommand],
  'mock-provider': async () => [(await import('./cli/mock-provider-command.js')).registerMockProviderCommand],
  demo: async () => [(await import('./cli/demo-command.js')).registerDemoCommand],
  worker: async () => [(await import('./cli/worker-command.js')).registerWorkerCommand],
  rescan: async () => [(await import('./cli/rescan-command.js')).registerRescanCommand],
  provider: async () => [(await import('./cli/provider-command.js')).registerProviderCommand],
  serve: async () => [(await import('./cli/serve-command.js')).registerServeCommand],
  tokens: async () => [(await import('./cli/tokens-command.js')).registerTokensCommand],
};

/** The command named on the command line (the first argument that is not an option), if it is one of ours. */
function commandAsked(argv: readonly string[]): string | undefined {
  const first = argv.slice(2).find((arg) => !arg.startsWith('-'));
  return first !== undefined && Object.hasOwn(COMMANDS, first) ? first : undefined;
}

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

// Help, no command or an unknown one: every command, so that help and commander's errors list them all.
const asked = commandAsked(process.argv);
const loaders = Object.entries(COMMANDS).filter(([name]) => asked === undefined || name === asked).map(([, load]) => load());
for (const registers of await Promise.all(loaders)) for (const register of registers) register(program, ctx);

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
