/** `credit-monitor serve`: the HTTP API and web console (DESIGN "HTTP API and web console"). */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { positiveIntOption } from './parse-options.js';

export function registerServeCommand(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('run the HTTP API and the web console (CM_API_HOST:CM_API_PORT); needs the store, and Redis for re-scans')
    .option('--port <n>', 'listen on this port instead of CM_API_PORT (0: any free port)')
    .action(async (opts: { port?: string }) => {
      const config = ctx.config();
      const logger = ctx.logger();
      const port = opts.port === undefined ? undefined : opts.port === '0' ? 0 : positiveIntOption('--port', opts.port, 65_535);
      const { startServer } = await import('../wiring/start-server.js');
      const server = await startServer(config, logger, port === undefined ? {} : { port });
      // The one line a script waits for (the port may have been chosen by the system).
      ctx.out(`serving on ${server.url}`);
      await new Promise<void>((resolve) => {
        let closing: Promise<void> | undefined;
        const onSignal = (): void => {
          // A second signal while closing exits at once.
          if (closing !== undefined) {
            process.exit(0);
          }
          setTimeout(() => {
            logger.error('shutdown did not finish in time: exiting');
            logger.flush();
            process.exit(0);
          }, config.shutdownGraceMs).unref();
          closing = server.close().then(resolve, (error: unknown) => {
            logger.error({ err: (error as Error).message }, 'shutdown failed');
            resolve();
          });
        };
        process.on('SIGTERM', onSignal).on('SIGINT', onSignal);
      });
      logger.info('server stopped');
      process.exitCode = 0;
    });
}
