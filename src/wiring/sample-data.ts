/**
 * The demo's data, shipped in config/: the portfolio the built-in mock provider serves, and the
 * customers a newcomer's first `npm start` imports so that checks and events show at once.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { importCustomers, type ImportSummary } from '../app/import-customers.js';
import { parseCustomerCsv } from '../csv/customer-csv.js';
import type { Logger } from '../logger.js';
import type { Store } from './open-store.js';

export const SAMPLE_PORTFOLIO_PATH = fileURLToPath(new URL('../../config/sample-portfolio.json', import.meta.url));
export const SAMPLE_CUSTOMERS_PATH = fileURLToPath(new URL('../../config/sample-customers.csv', import.meta.url));

/** Imports the sample customers (upsert by code), recorded in the audit log as `actor`'s. */
export function importSampleCustomers(store: Store, actor: string, now: number): Promise<ImportSummary> {
  return importCustomers(parseCustomerCsv(readFileSync(SAMPLE_CUSTOMERS_PATH), SAMPLE_CUSTOMERS_PATH), SAMPLE_CUSTOMERS_PATH, {
    repo: store.repos.customers,
    audit: store.repos.auditLog,
    actor,
    now,
  });
}

/** With the built-in mock provider and an empty register, imports the sample customers. */
export async function seedSampleCustomers(store: Store, logger: Logger, clock: () => number): Promise<void> {
  if ((await store.repos.customers.counts(clock())).total > 0) return;
  const summary = await importSampleCustomers(store, 'worker:sample-data', clock());
  logger.info({ imported: summary.imported }, 'empty register and no provider configured: imported the sample customers');
}
