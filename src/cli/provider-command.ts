import type { Command } from 'commander';
import { clearProviderStop, readProviderStop } from '../app/provider-stop.js';
import type { CliContext } from './context.js';

/** `credit-monitor provider resume`: ends a stop after the provider refused our credentials or quota. */
export function registerProviderCommand(program: Command, ctx: CliContext): void {
  const provider = program.command('provider').description('the company-credit provider: resume after an auth or quota stop');
  provider
    .command('resume')
    .description('clear an auth/quota stop and resume the scan queue (after fixing the key or topping up)')
    .action(async () => {
      const { repos } = await ctx.store();
      const stop = await readProviderStop(repos.meta);
      const queue = await ctx.parts.queueClient();
      // Queue first, then the record: a record cleared with the queue still paused would leave the
      // worker nothing to resume at its next start. Resuming is idempotent, so it runs without a stop too.
      await queue.resumeScan();
      await clearProviderStop(repos.meta);
      await repos.auditLog.record(
        { actor: ctx.actor, action: 'provider.resume', subject: stop?.provider ?? ctx.config().provider.kind, details: { stop: stop ?? null } },
        ctx.clock(),
      );
      ctx.out(
        stop
          ? `resumed the scan queue; cleared the ${stop.kind} stop of ${stop.provider} recorded at ${stop.at}`
          : 'no provider stop was recorded; the scan queue is running',
      );
    });
}
