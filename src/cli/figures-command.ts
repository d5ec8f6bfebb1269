import type { Command } from 'commander';
import { importFigures, type FiguresImportSummary } from '../app/import-figures.js';
import { regradeCustomer } from '../app/regrade-customer.js';
import { parseFiguresCsv } from '../csv/figures-csv.js';
import { shanghaiDay } from '../domain/dates.js';
import type { CliContext } from './context.js';
import { readInputFile } from './read-input-file.js';
import { importRowMessages, openRowReport, printRowMessages, REPORT_OPTION_HELP, type RowMessage } from './row-messages.js';

/** `figures import`: trading figures from the ERP, the same import rules as `customers import`. */
export function registerFiguresCommand(program: Command, ctx: CliContext): void {
  const figures = program.command('figures').description('trading figures from the ERP (交易数据), used by the credit grades');

  figures
    .command('import')
    .description(
      'import trading figures from a CSV file (header uscc,asOf,onTimePaymentRate,fulfilmentRate[,overdueAmount][,creditLimit]; ' +
        'rates in percent; UTF-8, BOM or GBK), then re-grade each customer in it without a provider call',
    )
    .argument('<file>', 'CSV file')
    .option('--accept-check-digit-mismatch', 'accept codes whose only fault is their check digit')
    .option('--report <file>', REPORT_OPTION_HELP)
    .option('--json', 'print the summary as JSON (every row message included)')
    .action(async (file: string, opts: { acceptCheckDigitMismatch?: boolean; report?: string; json?: boolean }) => {
      const bytes = await readInputFile(file);
      const report = opts.report === undefined ? undefined : await openRowReport(opts.report, file);
      ctx.onClose(() => report?.close());
      const { repos } = await ctx.store();
      const now = ctx.clock();
      const parsed = parseFiguresCsv(bytes, file, { acceptCheckDigitMismatch: opts.acceptCheckDigitMismatch ?? false, today: shanghaiDay(now) });
      const deps = await ctx.parts.regradeDeps();
      const summary = await importFigures(parsed, file, {
        repo: repos.figures,
        audit: repos.auditLog,
        regrade: (uscc) => regradeCustomer(deps, uscc),
        actor: ctx.actor,
        now,
      });
      const messages = figuresRowMessages(file, summary);
      await report?.write(file, messages);
      printRowMessages(file, messages, (line) => { ctx.err(line); }, report);
      if (opts.json) ctx.out(JSON.stringify(summary));
      else {
        for (const change of summary.gradeChanges) {
          ctx.out(`grade ${change.uscc}: ${change.before} -> ${change.after}${change.rule === null ? '' : ` (rule ${change.rule})`}`);
        }
        ctx.out(
          `imported ${summary.imported} (created ${summary.created}, updated ${summary.updated}, unchanged ${summary.unchanged}); ` +
            `rejected ${summary.rejected.length}; duplicates ${summary.duplicates.length}; ` +
            `re-graded ${summary.regraded} (${summary.gradeChanges.length} changed, ${summary.events} event(s)); encoding ${summary.encoding}`,
        );
      }
      if (summary.rejected.length > 0) process.exitCode = 1;
    });
}

/** The import's row messages; a warning about the whole file already names it, so the name is not repeated. */
function figuresRowMessages(file: string, summary: FiguresImportSummary): RowMessage[] {
  const prefix = `${file}: `;
  const warnings = summary.warnings.map((w) => ({ line: w.line, reason: w.reason.startsWith(prefix) ? w.reason.slice(prefix.length) : w.reason }));
  return importRowMessages({ ...summary, warnings });
}
