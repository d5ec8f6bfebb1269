/** `customers show --uscc CODE [--json]`: one customer whole (see customer-view.ts for what and why). */
import type { Command } from 'commander';
import { historicEntries } from '../domain/entry-history.js';
import { gradeCustomer } from '../domain/grade-customer.js';
import { gradeFacts } from '../domain/grade-facts.js';
import { AppError } from '../errors.js';
import type { CasesRepository } from '../app/case-ports.js';
import { toCaseView, type CaseView } from '../app/case-view.js';
import type { CliContext } from './context.js';
import { customerViewLines } from './customer-view-text.js';
import { customerView } from './customer-view.js';
import { usccOption } from './parse-options.js';

/** Events shown, newest first. */
export const RECENT_EVENTS = 20;

export function registerCustomersShowCommand(customers: Command, ctx: CliContext): void {
  customers
    .command('show')
    .description('one customer whole: registration, list entries, grade and its rules, strategy, recent events')
    .requiredOption('--uscc <code>', 'unified social credit code')
    .option('--json', 'one JSON document')
    .option('--accept-check-digit-mismatch', 'accept a code whose only fault is its check digit')
    .action(async (opts: { uscc: string; json?: boolean; acceptCheckDigitMismatch?: boolean }) => {
      const { uscc } = usccOption(opts.uscc, opts.acceptCheckDigitMismatch);
      const config = ctx.config();
      const { repos } = await ctx.store();
      const customer = await repos.customers.findByUscc(uscc);
      if (customer === undefined) throw new AppError('NOT_FOUND', `--uscc ${uscc}: no such customer`);
      const snapshot = await repos.checks.latestSnapshot(customer.id);
      // Graded again from the stored facts with the rules in force: the stored row keeps the grade
      // and its rule, not the rules skipped on the way.
      const history = historicEntries(await repos.checks.entryEvents(customer.id));
      const graded = gradeCustomer(
        config.grading,
        gradeFacts(snapshot?.body ?? null, history),
        await repos.checks.latestFigures(customer.id),
        config.provider.sections,
        ctx.clock(),
      );
      const view = customerView({
        customer,
        snapshot,
        graded,
        strategy: config.strategy[customer.grade],
        events: await repos.events.query({ uscc, limit: RECENT_EVENTS }),
        language: config.language,
        openCase: await openCaseOf(repos.cases, customer.id, ctx.clock()),
      });
      if (opts.json) {
        ctx.out(JSON.stringify(view));
        return;
      }
      for (const line of customerViewLines(view, config.language)) ctx.out(line);
    });
}

async function openCaseOf(cases: CasesRepository, customerId: number, now: number): Promise<CaseView | null> {
  const record = await cases.unresolvedCaseOf(customerId);
  return record === undefined ? null : toCaseView(record, now);
}
