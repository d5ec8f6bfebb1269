/** One customer whole, as `customers show --json`, `GET /api/customers/{uscc}` and the console show it. */
import type { CasesRepository } from '../app/case-ports.js';
import { toCaseView, type CaseView } from '../app/case-view.js';
import { customerView, type CustomerView } from '../cli/customer-view.js';
import type { Config } from '../config/load-config.js';
import { historicEntries } from '../domain/entry-history.js';
import { gradeCustomer } from '../domain/grade-customer.js';
import { gradeFacts } from '../domain/grade-facts.js';
import type { Repositories } from '../store/create-repositories.js';

/** Events shown, newest first. */
export const RECENT_EVENTS = 20;

/** The customer's view, or undefined when the register has no such (not removed) customer. */
export async function customerDetail(
  config: Readonly<Config>,
  repos: Repositories,
  uscc: string,
  now: number,
  options: { events?: number } = {},
): Promise<CustomerView | undefined> {
  const customer = await repos.customers.findByUscc(uscc);
  if (customer === undefined) return undefined;
  const snapshot = await repos.checks.latestSnapshot(customer.id);
  // Graded again from the stored facts with the rules in force: the stored row keeps the grade
  // and its rule, not the rules skipped on the way.
  const history = historicEntries(await repos.checks.entryEvents(customer.id));
  const graded = gradeCustomer(
    config.grading,
    gradeFacts(snapshot?.body ?? null, history),
    await repos.checks.latestFigures(customer.id),
    config.provider.sections,
    now,
  );
  return customerView({
    customer,
    snapshot,
    graded,
    strategy: config.strategy[customer.grade],
    events: await repos.events.query({ uscc, limit: options.events ?? RECENT_EVENTS }),
    language: config.language,
    openCase: await openCaseOf(repos.cases, customer.id, now),
  });
}

async function openCaseOf(cases: CasesRepository, customerId: number, now: number): Promise<CaseView | null> {
  const record = await cases.unresolvedCaseOf(customerId);
  return record === undefined ? null : toCaseView(record, now);
}
