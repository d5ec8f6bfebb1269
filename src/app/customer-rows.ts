/**
 * A customer file as the import use case takes it, whatever read it (the CSV adapter in src/csv/
 * today): the valid rows, and every row rejected, dropped or let through with a warning.
 */
export interface CustomerCsvRow {
  /** Physical line number in the file; the header is line 1 (unless blank lines precede it). */
  line: number;
  /** Normalised code. */
  uscc: string;
  /** Normalised name. */
  name: string;
  /** null when the file has no `tags` column: an import then keeps a customer's existing tags. */
  tags: string[] | null;
}

export interface CsvRejection {
  line: number;
  /** One line that starts with `line N: ` and names the field and value at fault. */
  reason: string;
}

export interface CsvDuplicate {
  /** The earlier row that was dropped. */
  line: number;
  uscc: string;
  /** The later row that is imported instead. */
  keptLine: number;
}

export interface CsvWarning {
  line: number;
  uscc: string;
  /** `check_digit_mismatch`: accepted only because `acceptCheckDigitMismatch` was set. */
  kind: 'check_digit_mismatch';
  reason: string;
}

export interface ParsedCustomerCsv {
  encoding: 'utf-8' | 'gbk';
  /** Valid rows in file order, one per code (the last row of a repeated code). */
  rows: CustomerCsvRow[];
  rejected: CsvRejection[];
  duplicates: CsvDuplicate[];
  /** Accepted rows with something to say, e.g. a check-digit mismatch that was let through. */
  warnings: CsvWarning[];
}
