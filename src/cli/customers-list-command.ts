/**
 * `customers list [--json | --csv] [--grade G]`: the register read page by page from the store
 * (filtered there by grade) and written as it is read, so 100,000 customers never sit in memory.
 */
import type { Command } from 'commander';
import { gradeLabel, type Grade, type Language } from '../domain/grades.js';
import type { CustomerRecord } from '../store/customers-repository.js';
import type { CliContext } from './context.js';
import { csvRows, toCsv } from './csv-output.js';
import { exclusiveFormat, gradeOption } from './parse-options.js';
import { terminalSafe } from './terminal-text.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** One customer as `customers list --json` gives it (DESIGN "Contract details", plus `grade`). */
export function customerJson(c: CustomerRecord): Record<string, unknown> {
  return {
    uscc: c.uscc,
    name: c.name,
    tags: c.tags,
    paused: c.paused,
    lastCheckedAt: iso(c.lastCheckedAt),
    nextCheckAt: iso(c.nextCheckAt),
    consecutiveFailures: c.consecutiveFailures,
    grade: c.grade,
  };
}

const CSV_HEADER = ['uscc', 'name', 'tags', 'paused', 'lastCheckedAt', 'nextCheckAt', 'consecutiveFailures', 'grade'];

function csvRow(c: CustomerRecord): unknown[] {
  return [c.uscc, c.name, c.tags.join(';'), c.paused, iso(c.lastCheckedAt), iso(c.nextCheckAt), c.consecutiveFailures, c.grade];
}

function textLine(c: CustomerRecord, language: Language): string {
  const state = c.paused ? 'paused' : c.consecutiveFailures > 0 ? `failing(${c.consecutiveFailures})` : 'ok';
  return `${c.uscc}  ${c.name}  [${c.tags.join(';')}]  ${gradeLabel(c.grade, language)}  ${state}  last=${iso(c.lastCheckedAt) ?? 'never'}`;
}

/** A piece of one stdout document (no line end of its own), escaped as `ctx.out` escapes lines. */
function writePiece(text: string): void {
  process.stdout.write(terminalSafe(text));
}

export function registerCustomersListCommand(customers: Command, ctx: CliContext): void {
  customers
    .command('list')
    .description('list customers')
    .option('--json', 'one JSON document')
    .option('--csv', 'CSV (UTF-8 with BOM)')
    .option('--grade <grade>', 'only customers of this grade (excellent, good, fair, risk, unrated)')
    .action(async (opts: { json?: boolean; csv?: boolean; grade?: string }) => {
      const format = exclusiveFormat(opts);
      const grade: Grade | undefined = opts.grade === undefined ? undefined : gradeOption(opts.grade);
      const pages = (await ctx.store()).repos.customers.iterate(grade === undefined ? {} : { grade });
      let count = 0;
      if (format === 'json') writePiece('{"customers":[');
      if (format === 'csv') process.stdout.write(toCsv(CSV_HEADER, []));
      for await (const page of pages) {
        if (format === 'json') writePiece(`${count === 0 ? '' : ','}${page.map((c) => JSON.stringify(customerJson(c))).join(',')}`);
        else if (format === 'csv') process.stdout.write(csvRows(page.map(csvRow)));
        else for (const c of page) ctx.out(textLine(c, ctx.config().language));
        count += page.length;
      }
      if (format === 'json') process.stdout.write(']}\n');
      if (format === 'text') ctx.out(`${count} customer(s)`);
    });
}
