/** The `customers import` use case: upsert every valid row of a customer file, write one audit row. */
import type { CsvDuplicate, CsvRejection, CsvWarning, CustomerCsvRow, ParsedCustomerCsv } from './customer-rows.js';

/** The part of the customer store an import needs (kept here so that app/ does not import store/). */
export interface CustomerImportTarget {
  /** Upserts rows in batched transactions; `tags: null` keeps a customer's existing tags. */
  upsertMany(
    rows: readonly Pick<CustomerCsvRow, 'uscc' | 'name' | 'tags'>[],
  ): Promise<{ created: number; updated: number; restored: number; unchanged: number }>;
}

/** Where the import is recorded as evidence. */
export interface ImportAuditLog {
  record(
    entry: { actor: string; action: string; subject: string; details: Record<string, unknown> },
    at: number,
  ): Promise<unknown>;
}

export interface ImportCustomersOptions {
  repo: CustomerImportTarget;
  audit: ImportAuditLog;
  /** Who ran the import (the audit log's actor). */
  actor: string;
  /** Epoch ms, for the audit row. */
  now: number;
}

export interface ImportSummary {
  encoding: 'utf-8' | 'gbk';
  /** Rows written (created + updated + restored + unchanged). */
  imported: number;
  created: number;
  updated: number;
  restored: number;
  unchanged: number;
  rejected: CsvRejection[];
  duplicates: CsvDuplicate[];
  warnings: CsvWarning[];
}

/**
 * Imports every valid row of a customer file already read (see src/csv/customer-csv.ts), upserting
 * by code. Rejected rows are reported, not fatal: the caller exits 1 when `rejected` is not empty.
 */
export async function importCustomers(
  parsed: ParsedCustomerCsv,
  fileName: string,
  options: ImportCustomersOptions,
): Promise<ImportSummary> {
  const written = await options.repo.upsertMany(parsed.rows);
  const summary: ImportSummary = {
    encoding: parsed.encoding,
    imported: written.created + written.updated + written.restored + written.unchanged,
    ...written,
    rejected: parsed.rejected,
    duplicates: parsed.duplicates,
    warnings: parsed.warnings,
  };
  await options.audit.record(
    {
      actor: options.actor,
      action: 'customers.import',
      subject: fileName,
      details: {
        encoding: summary.encoding,
        imported: summary.imported,
        created: summary.created,
        updated: summary.updated,
        restored: summary.restored,
        unchanged: summary.unchanged,
        rejected: summary.rejected.length,
        duplicates: summary.duplicates.length,
        // DESIGN: a code let through despite its check digit leaves an audit trail naming it.
        // (Every warning is a check-digit mismatch today; `kind` says so.)
        acceptedCheckDigitMismatches: summary.warnings.map((warning) => warning.uscc),
      },
    },
    options.now,
  );
  return summary;
}
