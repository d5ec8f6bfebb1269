/**
 * The `figures import` use case: upsert every valid row of a figures file by (customer, asOf), then
 * re-grade each customer it names without a provider call, and write one audit row. A code that is
 * not in the register is a rejected row, like any other fault of the row.
 */
import type { Grade } from '../domain/grades.js';
import type { TradingFigures } from '../domain/trading-figures.js';
import type { CsvRejection } from './customer-rows.js';
import type { FiguresCsvDuplicate, FiguresCsvWarning, ParsedFiguresCsv } from './figures-rows.js';
import type { ImportAuditLog } from './import-customers.js';
import type { RegradeOutcome } from './regrade-customer.js';

/** What the store did with one row; `unknown_customer`: the code is not in the register (or was removed). */
export type FiguresUpsertOutcome = 'created' | 'updated' | 'unchanged' | 'unknown_customer';

/** The part of the figures store an import needs (kept here so that app/ does not import store/). */
export interface FiguresImportTarget {
  /** Upserts rows in batched transactions; one outcome per row, in order. */
  upsertMany(rows: readonly { uscc: string; figures: TradingFigures }[], importedAt: number): Promise<FiguresUpsertOutcome[]>;
}

export interface ImportFiguresOptions {
  repo: FiguresImportTarget;
  audit: ImportAuditLog;
  /** Re-grades one customer from what is stored (see regradeCustomer). */
  regrade: (uscc: string) => Promise<RegradeOutcome>;
  /** Who ran the import (the audit log's actor). */
  actor: string;
  /** Epoch ms, for the rows and the audit row. */
  now: number;
}

export interface GradeChange {
  uscc: string;
  before: Grade;
  after: Grade;
  rule: string | null;
}

export interface FiguresImportSummary {
  encoding: 'utf-8' | 'gbk';
  /** Rows written (created + updated + unchanged). */
  imported: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Rows refused: by the file's rules, or naming a code not in the register. In line order. */
  rejected: CsvRejection[];
  duplicates: FiguresCsvDuplicate[];
  warnings: FiguresCsvWarning[];
  /** Customers re-graded: each one with a row imported. */
  regraded: number;
  /** The re-grades that changed a grade, in file order. */
  gradeChanges: GradeChange[];
  /** `grade.changed` events stored (and queued in the outbox) by the re-grades. */
  events: number;
}

/**
 * Imports every valid row of a figures file already read (see src/csv/figures-csv.ts). Rejected
 * rows are reported, not fatal: the caller exits 1 when `rejected` is not empty.
 */
export async function importFigures(parsed: ParsedFiguresCsv, fileName: string, options: ImportFiguresOptions): Promise<FiguresImportSummary> {
  const outcomes = await options.repo.upsertMany(parsed.rows.map(({ uscc, figures }) => ({ uscc, figures })), options.now);
  const counts = { created: 0, updated: 0, unchanged: 0 };
  const unknown: CsvRejection[] = [];
  const imported = new Set<string>();
  parsed.rows.forEach((row, index) => {
    const outcome = outcomes[index] ?? 'unknown_customer';
    if (outcome === 'unknown_customer') {
      unknown.push({ line: row.line, reason: `line ${row.line}: uscc ${row.uscc}: no such customer in the register (add it with customers add or customers import first)` });
      return;
    }
    counts[outcome] += 1;
    imported.add(row.uscc);
  });

  const gradeChanges: GradeChange[] = [];
  let events = 0;
  for (const uscc of imported) {
    const outcome = await options.regrade(uscc);
    if (outcome.kind !== 'regraded') continue;
    events += outcome.events.length;
    const { before, after, rule } = outcome.grade;
    if (before !== after) gradeChanges.push({ uscc, before, after, rule });
  }

  const summary: FiguresImportSummary = {
    encoding: parsed.encoding,
    imported: counts.created + counts.updated + counts.unchanged,
    ...counts,
    rejected: [...parsed.rejected, ...unknown].sort((a, b) => a.line - b.line),
    duplicates: parsed.duplicates,
    warnings: parsed.warnings,
    regraded: imported.size,
    gradeChanges,
    events,
  };
  await options.audit.record(
    {
      actor: options.actor,
      action: 'figures.import',
      subject: fileName,
      details: {
        encoding: summary.encoding,
        imported: summary.imported,
        created: summary.created,
        updated: summary.updated,
        unchanged: summary.unchanged,
        rejected: summary.rejected.length,
        duplicates: summary.duplicates.length,
        regraded: summary.regraded,
        gradeChanges: summary.gradeChanges.length,
        acceptedCheckDigitMismatches: summary.warnings.flatMap((w) => (w.kind === 'check_digit_mismatch' && w.uscc !== null ? [w.uscc] : [])),
      },
    },
    options.now,
  );
  return summary;
}
