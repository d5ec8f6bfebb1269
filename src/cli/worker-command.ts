import type { Command } from 'commander';
import { startWorker } from '../run-worker.js';
import type { CliContext } from './context.js';
import { positiveIntOption } from './parse-options.js';

export function registerWorkerCommand(program: Command, ctx: CliContext): void {
  program
    .command('worker')
    .description('run the daemon: sweep scheduler, scan worker and delivery worker')
    .option('--concurrency <n>', 'scan jobs processed at once by this process')
    .action(async (opts: { concurrency?: string }) => {
      const config = ctx.config();
      const logger = ctx.logger();
      const worker = await startWorker(config, logger, {
        ...(opts.concurrency === undefined ? {} : { concurrency: positiveIntOption('--concurrency', opts.concurrency, 256) }),
      });
      // First signal: graceful within CM_SHUTDOWN_GRACE, then forced. Second signal: forced at once.
      let signals = 0;
      await new Promise<void>((resolve) => {
        const onSignal = (signal: NodeJS.Signals): void => {
          signals += 1;
          logger.info({ signal }, signals === 1 ? 'shutting down gracefully' : 'second signal: forcing shutdown');
          if (signals === 1) {
            // Backstop: whatever hangs (a Redis that is down), the process exits after the grace and
            // the bounded forced close. Unacknowledged jobs run again after a restart.
            setTimeout(() => {
              logger.error('shutdown did not finish in time: exiting');
              logger.flush();
              process.exit(0);
            }, config.shutdownGraceMs + 20_000).unref();
          }
          void worker.close(signals > 1).then(resolve, (error: unknown) => {
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
