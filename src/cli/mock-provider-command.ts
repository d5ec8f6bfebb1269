import type { Command } from 'commander';
import { AppError } from '../errors.js';
import { SAMPLE_PORTFOLIO_PATH } from '../wiring/sample-data.js';
import type { CliContext } from './context.js';
import { positiveIntOption } from './parse-options.js';

export function registerMockProviderCommand(program: Command, ctx: CliContext): void {
  program
    .command('mock-provider')
    .description('serve the mock company-credit provider over HTTP (see docs/mock-provider.md)')
    .option('--port <n>', 'TCP port (0 picks a free one)', '8710')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--state <file>', 'state file of companies', SAMPLE_PORTFOLIO_PATH)
    .option('--control-token <token>', 'token the control API requires in x-control-token (default: generated, printed)')
    .action(async (opts: { port: string; host: string; state: string; controlToken?: string }) => {
      if (opts.controlToken?.trim() === '') throw new AppError('USAGE', '--control-token must not be empty');
      const port = opts.port === '0' ? 0 : positiveIntOption('--port', opts.port, 65_535);
      const state = await ctx.parts.loadMockState(opts.state);
      const logger = ctx.logger();
      const server = await ctx.parts.startMockProvider({
        port,
        host: opts.host,
        state,
        logger,
        ...(opts.controlToken === undefined ? {} : { controlToken: opts.controlToken }),
      }).catch((error: unknown) => {
        throw new AppError('USAGE', `--port ${opts.port}: cannot listen (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      });
      ctx.out(server.url);
      // The token is a test tool's, not a secret of the daemon: printed so that curl can use it.
      ctx.out(`x-control-token: ${server.controlToken}`);
      logger.info({ url: server.url, companies: state.companies.length }, 'mock provider listening');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve).once('SIGTERM', resolve);
      });
      await server.close();
    });
}
