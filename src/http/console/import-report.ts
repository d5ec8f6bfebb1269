/** The import page's report from what `importCustomers` answered: the same per-row messages as the CLI. */
import type { ImportSummary } from '../../app/import-customers.js';
import { importRowMessages } from '../../cli/row-messages.js';
import type { ImportReportView } from './page-data.js';

export function importReportView(file: string, summary: ImportSummary): ImportReportView {
  return {
    file,
    summary: {
      imported: summary.imported,
      created: summary.created,
      updated: summary.updated,
      restored: summary.restored,
      unchanged: summary.unchanged,
      rejected: summary.rejected.length,
      duplicates: summary.duplicates.length,
      warnings: summary.warnings.length,
    },
    rows: importRowMessages(summary),
  };
}
