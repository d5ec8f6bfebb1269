import type { Command } from 'commander';
import { AppError } from '../errors.js';
import { importCustomers } from '../app/import-customers.js';
import { parseCustomerName, parseTag } from '../app/customer-fields.js';
import { parseCustomerCsv } from '../csv/customer-csv.js';
import type { CliContext } from './context.js';
import { readInputFile } from './read-input-file.js';
import { registerCustomersListCommand } from './customers-list-command.js';
import { registerCustomersShowCommand } from './customers-show-command.js';
import { collect, usccOption } from './parse-options.js';
import { importRowMessages, openRowReport, printRowMessages, REPORT_OPTION_HELP } from './row-messages.js';

export function registerCustomersCommand(program: Command, ctx: CliContext): void {
  const customers = program.command('customers').description('manage the customer register');

  customers
    .command('add')
    .description('add a customer, or update its name and tags')
    .requiredOption('--uscc <code>', 'unified social credit code (18 characters)')
    .requiredOption('--name <name>', 'company name')
    .option('--tag <tag>', 'tag (repeatable)', collect, [])
    .option('--accept-check-digit-mismatch', 'accept a code whose only fault is its check digit')
    .action(async (opts: { uscc: string; name: string; tag: string[]; acceptCheckDigitMismatch?: boolean }) => {
      const { uscc, warning } = usccOption(opts.uscc, opts.acceptCheckDigitMismatch);
      const name = fieldOption('--name', parseCustomerName(opts.name));
      const tags = [...new Set(opts.tag.map((tag) => fieldOption('--tag', parseTag(tag))))];
      const { repos } = await ctx.store();
      const { outcome } = await repos.customers.add({ uscc, name, tags });
      await repos.auditLog.record(
        { actor: ctx.actor, action: 'customer.add', subject: uscc, details: { name, tags, outcome, ...(warning ? { checkDigitMismatchAccepted: true } : {}) } },
        ctx.clock(),
      );
      if (warning) ctx.err(`warning: ${warning}`);
      ctx.out(`${outcome} ${uscc} ${name}`);
    });

  customers
    .command('import')
    .description('import customers from a CSV file (header uscc,name[,tags]; UTF-8, BOM or GBK)')
    .argument('<file>', 'CSV file')
    .option('--accept-check-digit-mismatch', 'accept codes whose only fault is their check digit')
    .option('--report <file>', REPORT_OPTION_HELP)
    .option('--json', 'print the summary as JSON (every row message included)')
    .action(async (file: string, opts: { acceptCheckDigitMismatch?: boolean; report?: string; json?: boolean }) => {
      const bytes = await readInputFile(file);
      const report = opts.report === undefined ? undefined : await openRowReport(opts.report, file);
      ctx.onClose(() => report?.close());
      const { repos } = await ctx.store();
      const parsed = parseCustomerCsv(bytes, file, { acceptCheckDigitMismatch: opts.acceptCheckDigitMismatch ?? false });
      const summary = await importCustomers(parsed, file, {
        repo: repos.customers,
        audit: repos.auditLog,
        actor: ctx.actor,
        now: ctx.clock(),
      });
      const messages = importRowMessages(summary);
      await report?.write(file, messages);
      printRowMessages(file, messages, (line) => { ctx.err(line); }, report);
      if (opts.json) ctx.out(JSON.stringify(summary));
      else {
        ctx.out(
          `imported ${summary.imported} (created ${summary.created}, updated ${summary.updated}, restored ${summary.restored}, unchanged ${summary.unchanged}); ` +
            `rejected ${summary.rejected.length}; duplicates ${summary.duplicates.length}; encoding ${summary.encoding}`,
        );
      }
      if (summary.rejected.length > 0) process.exitCode = 1;
    });

  registerCustomersListCommand(customers, ctx);
  registerCustomersShowCommand(customers, ctx);

  for (const action of ['remove', 'pause', 'resume'] as const) {
    customers
      .command(action)
      .description(
        action === 'remove' ? 'stop monitoring a customer (its history is kept)' : `${action} monitoring of a customer`,
      )
      .requiredOption('--uscc <code>', 'unified social credit code')
      .option('--accept-check-digit-mismatch', 'accept a code whose only fault is its check digit')
      .action(async (opts: { uscc: string; acceptCheckDigitMismatch?: boolean }) => {
        const { uscc } = usccOption(opts.uscc, opts.acceptCheckDigitMismatch);
        const { repos } = await ctx.store();
        const outcome =
          action === 'remove' ? await repos.customers.remove(uscc) : await repos.customers.setPaused(uscc, action === 'pause');
        if (outcome === 'not_found') throw new AppError('NOT_FOUND', `--uscc ${uscc}: no such customer`);
        await repos.auditLog.record({ actor: ctx.actor, action: `customer.${action}`, subject: uscc, details: { outcome } }, ctx.clock());
        ctx.out(`${action} ${uscc}: ${outcome}`);
      });
  }
}

function fieldOption(name: string, result: { ok: true; value: string } | { ok: false; reason: string }): string {
  if (!result.ok) throw new AppError('USAGE', `${name}: ${result.reason}`);
  return result.value;
}
