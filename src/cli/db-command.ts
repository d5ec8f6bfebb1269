import type { Command } from 'commander';
import { AppError } from '../errors.js';
import { copyStore, type CopyReport } from '../store/copy/copy-store.js';
import type { CopyProgress } from '../store/copy/copy-progress.js';
import { parseStoreLocation, storeLocationProblem, type StoreLocation } from '../store/store-location.js';
import type { CliContext } from './context.js';
import { positiveIntOption } from './parse-options.js';

const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** `db copy`: needs no configuration, provider or Redis, only the two locations. */
export function registerDbCommand(program: Command, ctx: CliContext): void {
  const db = program.command('db').description('move the store between SQLite and PostgreSQL');

  db.command('copy')
    .description('copy a whole store into an empty one (a SQLite path or a postgres:// URL each), then verify it')
    .requiredOption('--from <store>', 'the store to copy: a SQLite file or a postgres:// URL')
    .requiredOption('--to <store>', 'an empty store (created and migrated when needed)')
    .option('--batch-size <rows>', 'rows per batch and per destination transaction', '1000')
    .action(async (opts: { from: string; to: string; batchSize: string }) => {
      const from = storeOption('--from', opts.from);
      const to = storeOption('--to', opts.to);
      const batchSize = positiveIntOption('--batch-size', opts.batchSize, 100_000);
      const report = await copyStore(from, to, { batchSize, onProgress: (progress) => { ctx.err(progressLine(progress)); } });
      printReport(ctx, report);
    });
}

/** A location option; a URL's text is never repeated (it may hold a password). */
function storeOption(name: string, value: string): StoreLocation {
  if (value.trim() === '') throw new AppError('USAGE', `${name}: expected a SQLite file path or a postgres:// URL`);
  const location = parseStoreLocation(value, process.cwd());
  const problem = storeLocationProblem(location);
  if (problem !== undefined) throw new AppError('USAGE', `${name}: ${problem}`);
  return location;
}

function progressLine(p: CopyProgress): string {
  const rate = p.elapsedMs > 0 ? `${count.format((p.done * 1000) / p.elapsedMs)} rows/s` : '-';
  const verb = p.phase === 'copy' ? 'copying' : 'verifying';
  return `db copy: ${verb} ${p.table} ${count.format(p.done)}/${count.format(p.total)} rows, ${rate}`;
}

/** One line per table on stdout; a mismatch exits 1 naming its tables, after every line is out. */
function printReport(ctx: CliContext, report: CopyReport): void {
  const width = Math.max(...report.tables.map((t) => t.table.length));
  for (const t of report.tables) {
    const verdict = t.ok ? 'ok' : `MISMATCH (destination ${t.destination.rows} rows, hash ${t.destination.hash})`;
    ctx.out(`${t.table.padEnd(width)}  ${String(t.source.rows).padStart(9)} rows  ${t.source.hash}  ${verdict}`);
  }
  const failed = report.tables.filter((t) => !t.ok).map((t) => t.table);
  if (failed.length > 0) {
    throw new AppError('STORE_FAILED', `verification failed: ${report.to} differs from ${report.from} in ${failed.join(', ')}`);
  }
  const seconds = (report.elapsedMs / 1000).toFixed(1);
  ctx.out(`copied ${report.rows} rows from ${report.from} to ${report.to} in ${seconds} s, verified`);
}
