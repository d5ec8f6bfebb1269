/**
 * Reading a customer CSV (DESIGN "CSV"): bytes in (UTF-8 or GBK, see decode-csv-bytes.ts), the rows
 * the import use case takes out (app/customer-rows.ts). Pure over the bytes, so the CLI reads the
 * file and tests hand in buffers.
 */
import { parseCustomerName, parseTagList, quote } from '../app/customer-fields.js';
import type { CsvRejection, CsvWarning, CustomerCsvRow, ParsedCustomerCsv } from '../app/customer-rows.js';
import { AppError } from '../errors.js';
import { parseUscc } from '../domain/uscc.js';
import { columnName, readCsvRecords } from './read-csv-records.js';

export interface ParseCustomerCsvOptions {
  /** Accept a code whose only fault is its check digit (2015–16 pilot codes), with a warning. */
  acceptCheckDigitMismatch?: boolean;
}

interface Columns {
  uscc: number;
  name: number;
  tags: number | undefined;
  count: number;
}

/**
 * Parses a customer CSV: header `uscc,name[,tags]` in any order and case, UTF-8 (BOM or not) or GBK,
 * quoted fields, blank lines skipped. Bad rows are rejected with their physical line number; a code
 * repeated in the file keeps its last row and reports the earlier ones as duplicates.
 * @throws AppError `INPUT_UNREADABLE` (one line naming `fileName`) when the file cannot be a customer
 *   CSV at all: empty, binary, no `uscc`/`name` header, or a quoted field that never closes.
 */
export function parseCustomerCsv(
  bytes: Buffer,
  fileName: string,
  options: ParseCustomerCsvOptions = {},
): ParsedCustomerCsv {
  const accepted: (CustomerCsvRow & { warning?: string })[] = [];
  const rejected: CsvRejection[] = [];
  const dropped: { line: number; uscc: string }[] = [];
  const indexByUscc = new Map<string, number>();
  let columns: Columns | undefined;

  const { encoding } = readCsvRecords(bytes, fileName, (cells, line, foreign) => {
    if (columns === undefined) {
      columns = readHeader(cells, line, fileName);
      return;
    }
    if (foreign !== undefined) {
      rejected.push({ line, reason: foreign });
      return;
    }
    const row = readRow(cells, line, columns, options);
    if ('reason' in row) {
      rejected.push(row);
      return;
    }
    const earlier = indexByUscc.get(row.uscc);
    if (earlier !== undefined) {
      const previous = accepted[earlier];
      if (previous !== undefined) dropped.push({ line: previous.line, uscc: previous.uscc });
    }
    indexByUscc.set(row.uscc, accepted.length);
    accepted.push(row);
  });
  if (columns === undefined) throw new AppError('INPUT_UNREADABLE', `${fileName}: the file is empty`);

  const rows: CustomerCsvRow[] = [];
  const warnings: CsvWarning[] = [];
  accepted.forEach(({ warning, ...row }, index) => {
    if (indexByUscc.get(row.uscc) !== index) return; // a later row of the same code wins
    rows.push(row);
    if (warning !== undefined) {
      warnings.push({ line: row.line, uscc: row.uscc, kind: 'check_digit_mismatch', reason: warning });
    }
  });
  const duplicates = dropped
    .map(({ line, uscc }) => ({ line, uscc, keptLine: accepted[indexByUscc.get(uscc) ?? -1]?.line ?? line }))
    .sort((a, b) => a.line - b.line);
  return { encoding, rows, rejected, duplicates, warnings };
}

function readHeader(cells: string[], line: number, fileName: string): Columns {
  const names = cells.map(columnName);
  const find = (column: string): number | undefined => {
    const first = names.indexOf(column);
    if (first === -1) return undefined;
    if (names.indexOf(column, first + 1) !== -1) {
      throw new AppError('INPUT_UNREADABLE', `${fileName}: line ${line}: the header names column ${column} twice`);
    }
    return first;
  };
  const uscc = find('uscc');
  const name = find('name');
  if (uscc === undefined || name === undefined) {
    throw new AppError(
      'INPUT_UNREADABLE',
      `${fileName}: line ${line}: no header row naming the columns uscc and name (found ${quote(cells.join(','))})`,
    );
  }
  return { uscc, name, tags: find('tags'), count: cells.length };
}

function readRow(
  cells: string[],
  line: number,
  columns: Columns,
  options: ParseCustomerCsvOptions,
): (CustomerCsvRow & { warning?: string }) | CsvRejection {
  const problems: string[] = [];
  let warning: string | undefined;
  // Extra non-empty cells usually mean an unquoted comma inside a name shifted the columns.
  if (cells.slice(columns.count).some((cell) => cell.trim() !== '')) {
    problems.push(`${cells.length} fields but the header has ${columns.count} (quote a name that contains a comma)`);
  }

  const rawUscc = (cells[columns.uscc] ?? '').trim();
  const uscc = parseUscc(rawUscc);
  if (rawUscc === '') {
    problems.push('uscc is required');
  } else if (!uscc.ok) {
    const reason = `uscc ${quote(rawUscc)}: ${uscc.reason}`;
    if (uscc.fault === 'check_digit' && options.acceptCheckDigitMismatch === true) {
      warning = `line ${line}: ${reason} (accepted: check-digit mismatches are allowed for this import)`;
    } else {
      problems.push(reason);
    }
  }

  const name = parseCustomerName(cells[columns.name] ?? '');
  if (!name.ok) problems.push(name.reason);

  let tags: string[] | null = null;
  if (columns.tags !== undefined) {
    const parsed = parseTagList(cells[columns.tags] ?? '');
    if (parsed.ok) tags = parsed.value;
    else problems.push(parsed.reason);
  }

  if (problems.length > 0 || !name.ok) return { line, reason: `line ${line}: ${problems.join('; ')}` };
  const row = { line, uscc: uscc.uscc, name: name.value, tags };
  return warning === undefined ? row : { ...row, warning };
}
