import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { toCsv } from './csv-output.js';
import { formatEventLine } from './format-event.js';
import { exclusiveFormat, isoOption, positiveIntOption, tierOption, usccOption } from './parse-options.js';

interface EventsOptions {
  json?: boolean;
  csv?: boolean;
  since?: string;
  tier?: string;
  uscc?: string;
  limit: string;
}

export function registerEventsCommand(program: Command, ctx: CliContext): void {
  program
    .command('events')
    .description('list events, newest first')
    .option('--json', 'one JSON document')
    .option('--csv', 'CSV (UTF-8 with BOM)')
    .option('--since <iso>', 'only events detected at or after this time')
    .option('--tier <tier>', 'only this tier')
    .option('--uscc <code>', 'only this customer')
    .option('--limit <n>', 'at most this many', '100')
    .action(async (opts: EventsOptions) => {
      const format = exclusiveFormat(opts);
      const events = await (await ctx.store()).repos.events.query({
        ...(opts.since === undefined ? {} : { since: isoOption('--since', opts.since) }),
        ...(opts.tier === undefined ? {} : { tier: tierOption(opts.tier) }),
        ...(opts.uscc === undefined ? {} : { uscc: usccOption(opts.uscc, true).uscc }),
        limit: positiveIntOption('--limit', opts.limit, 1_000_000),
      });
      if (format === 'json') {
        ctx.out(JSON.stringify({ events }));
      } else if (format === 'csv') {
        const header = ['id', 'detectedAt', 'tier', 'type', 'baseline', 'uscc', 'name', 'field', 'before', 'after',
          'entryKey', 'listedOn', 'reason', 'authority', 'removedOn', 'evidence', 'acknowledgedAt', 'acknowledgedBy'];
        const rows = events.map((e) => [e.id, e.detectedAt, e.tier, e.type, e.baseline, e.customer.uscc, e.customer.name,
          e.change?.field, e.change?.before, e.change?.after, e.entry?.key, e.entry?.listedOn, e.entry?.reason,
          e.entry?.authority, e.entry?.removedOn, e.evidence, e.acknowledgedAt, e.acknowledgedBy]);
        process.stdout.write(toCsv(header, rows));
      } else {
        for (const e of events) ctx.out(formatEventLine(e));
        ctx.out(`${events.length} event(s)`);
      }
    });
}
