import type { Command } from 'commander';
import { checkCustomer } from '../app/check-customer.js';
import { AppError } from '../errors.js';
import type { CliContext } from './context.js';
import { formatEventLine } from './format-event.js';
import { usccOption } from './parse-options.js';

export function registerCheckCommand(program: Command, ctx: CliContext): void {
  program
    .command('check')
    .description('check one customer now, in this process, with the same code path as the worker')
    .requiredOption('--uscc <code>', 'unified social credit code')
    .option('--accept-check-digit-mismatch', 'accept a code whose only fault is its check digit')
    .option('--json', 'one JSON document')
    .action(async (opts: { uscc: string; acceptCheckDigitMismatch?: boolean; json?: boolean }) => {
      const { uscc } = usccOption(opts.uscc, opts.acceptCheckDigitMismatch);
      const logger = ctx.logger();
      const store = await ctx.store();
      // The same gate as the worker's when Redis answers: paced with the fleet, counted in today's calls.
      const deps = await ctx.parts.checkDeps();

      const abort = new AbortController();
      const onSignal = (): void => { abort.abort(new Error('interrupted')); };
      process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
      const outcome = await checkCustomer(deps, uscc, abort.signal).finally(() => {
        process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
      });

      if (outcome.kind === 'unknown_customer') {
        throw new AppError('NOT_FOUND', `--uscc ${uscc}: no such customer (add it with "customers add" first)`);
      }
      if (outcome.kind === 'rate_limited') {
        const wait = outcome.retryAfterMs === undefined ? '' : ` (retry after ${Math.ceil(outcome.retryAfterMs / 1000)} s)`;
        throw new AppError('PROVIDER_RATE_LIMITED', `${uscc}: the provider rate-limited the check; nothing was recorded${wait}`);
      }
      if (outcome.kind === 'provider_stopped') {
        // No queue to stop here: say what the worker would stop for, and record nothing.
        throw new AppError('PROVIDER_STOPPED', `${uscc}: the provider refused the check (${outcome.error.kind}): ${outcome.error.message}; nothing was recorded`);
      }
      if (outcome.methodChanged) logger.info({ uscc }, 'provider or normaliser changed: re-baselined silently');
      if (outcome.keptFields.length > 0) logger.warn({ uscc, keptFields: outcome.keptFields }, 'answer without some registration fields: their last known values were kept');
      const ids = new Set(outcome.events.map((e) => e.id));
      const views = ids.size === 0 ? [] : (await store.repos.events.query({ uscc, limit: 1000 })).filter((e) => ids.has(e.id));
      const failed = outcome.failedSections.map((f) => ({ section: f.section, kind: f.error.kind, message: f.error.message }));
      if (opts.json) {
        ctx.out(JSON.stringify({ uscc, events: views, failedSections: failed, snapshotWritten: outcome.snapshotWritten, grade: outcome.grade }));
      } else {
        for (const f of failed) ctx.err(`warning: ${uscc}: section ${f.section} failed (${f.kind}): ${f.message}; last known value kept`);
        for (const view of views) ctx.out(formatEventLine(view));
        const { before, after, decided } = outcome.grade;
        const grade = `grade ${after}${before !== after ? ` (was ${before})` : decided ? '' : ' (kept: what was read cannot tell)'}`;
        ctx.out(`${uscc}: ${views.length} new event(s)${failed.length ? `, ${failed.length} section(s) failed` : ''}; ${grade}`);
      }
    });
}
