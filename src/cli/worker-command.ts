import { Option, type Command } from 'commander';
import { AppError } from '../errors.js';
import { parseDuration } from '../config/duration.js';
import type { WorkerOptions } from '../main.js';
import type { CliContext } from './context.js';
import { positiveIntOption } from './parse-options.js';

interface WorkerCommandOptions {
  concurrency?: string;
  sweepEvery?: string;
  maintenanceEvery?: string;
  deliveryRetryBase?: string;
  stalledCheck?: string;
}

function durationOption(name: string, value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new AppError('USAGE', `${name} ${JSON.stringify(value)}: expected <number><s|m|h|d>, e.g. 1s or 0.5s`);
  return ms;
}

/** The hidden test-oriented timing flags: end-to-end tests run the built CLI with shorter ticks. */
function timingOptions(opts: WorkerCommandOptions): WorkerOptions {
  return {
    ...(opts.sweepEvery === undefined ? {} : { sweepEveryMs: durationOption('--sweep-every', opts.sweepEvery) }),
    ...(opts.maintenanceEvery === undefined ? {} : { maintenanceEveryMs: durationOption('--maintenance-every', opts.maintenanceEvery) }),
    ...(opts.deliveryRetryBase === undefined
      ? {}
      : { deliveryRetryBaseMs: durationOption('--delivery-retry-base', opts.deliveryRetryBase) }),
    ...(opts.stalledCheck === undefined ? {} : { stalledCheckMs: durationOption('--stalled-check', opts.stalledCheck) }),
  };
}

export function registerWorkerCommand(program: Command, ctx: CliContext): void {
  program
    .command('worker')
    .description('run the daemon: sweep scheduler, scan worker and delivery worker')
    .option('--concurrency <n>', 'scan jobs processed at once by this process')
    // Hidden, for tests and rehearsals only: production keeps the defaults (60 s, 15 s, 10 s).
    .addOption(new Option('--sweep-every <duration>', 'sweep tick interval (default 60s)').hideHelp())
    .addOption(new Option('--maintenance-every <duration>', 'maintenance round interval (default 15s)').hideHelp())
    .addOption(new Option('--delivery-retry-base <duration>', 'first delivery retry back-off (default 10s)').hideHelp())
    .addOption(new Option('--stalled-check <duration>', 'BullMQ lock duration and stalled-check interval (default 30s)').hideHelp())
    .action(async (opts: WorkerCommandOptions) => {
      const timing = timingOptions(opts);
      const config = ctx.config();
      const logger = ctx.logger();
      // The daemon's code, loaded only by the command that runs it.
      const { startWorker } = await import('../main.js');
      const worker = await startWorker(config, logger, {
        ...(opts.concurrency === undefined ? {} : { concurrency: positiveIntOption('--concurrency', opts.concurrency, 256) }),
        ...timing,
      });
      // Nothing configured (the demo): the console runs beside the worker.
      const demo = config.provider.implicit && !config.provider.url;
      const demoConsole = demo ? await (await import('../wiring/demo-console.js')).startDemoConsole(config, logger, (line) => { ctx.out(line); }) : undefined;
      // First signal: graceful within CM_SHUTDOWN_GRACE, then forced. Second signal: forced at once.
      let backstop: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        const onSignal = (signal: NodeJS.Signals): void => {
          // Backstop: whatever hangs (a Redis that is down), the process exits after the grace and
          // the bounded forced close. Unacknowledged jobs run again after a restart.
          backstop ??= setTimeout(() => {
            logger.error('shutdown did not finish in time: exiting');
            logger.flush();
            process.exit(0);
          }, config.shutdownGraceMs + 20_000).unref();
          void Promise.all([worker.signal(signal), demoConsole?.close()]).then(() => { resolve(); }, (error: unknown) => {
            logger.error({ err: (error as Error).message }, 'shutdown failed');
            resolve();
          });
        };
        process.on('SIGTERM', onSignal).on('SIGINT', onSignal);
      });
      logger.info('worker stopped');
      process.exitCode = 0;
    });
}
