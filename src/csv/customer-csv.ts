/**
 * Reading a customer CSV (DESIGN "CSV"): bytes in (UTF-8 or GBK, see decode-csv-bytes.ts), the rows
 * the import use case takes out (app/customer-rows.ts). Pure over the bytes, so the CLI reads the
 * file and tests hand in buffers.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { parseCustomerName, parseTagList, quote } from '../app/customer-fields.js';
import type { CsvRejection, CsvWarning, CustomerCsvRow, ParsedCustomerCsv } from '../app/customer-rows.js';
import { AppError } from '../errors.js';
import { parseUscc } from '../domain/uscc.js';
import { decodeCsvBytes } from './decode-csv-bytes.js';

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

const LF = 0x0a;
const CR = 0x0d;

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
  const { utf8, encoding, foreignLines } = decodeCsvBytes(bytes, fileName);
  const lines = createLineCounter(utf8);
  const accepted: (CustomerCsvRow & { warning?: string })[] = [];
  const rejected: CsvRejection[] = [];
  const dropped: { line: number; uscc: string }[] = [];
  const indexByUscc = new Map<string, number>();
  let columns: Columns | undefined;

  const onRecord = (cells: string[], line: number): void => {
    if (cells.every((cell) => cell.trim() === '')) return; // a blank line, or one of only commas
    if (columns === undefined) {
      columns = readHeader(cells, line, fileName);
      return;
    }
    if (foreignLines.has(line)) {
      const other = encoding === 'utf-8' ? 'GBK' : 'UTF-8';
      rejected.push({ line, reason: `line ${line}: the line is ${other} text in a ${encoding.toUpperCase()} file (mixed encodings: save the whole file in one encoding)` });
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
  };

  try {
    // on_record returns null so csv-parse keeps nothing: memory stays at the accepted rows.
    parse(utf8, {
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      // Explicit, because auto-detection takes the first line's ending for the whole file.
      record_delimiter: ['\r\n', '\n', '\r'],
      on_record: (cells: string[], context) => {
        const line = lines.nextContentLine();
        lines.advanceTo(context.bytes);
        onRecord(cells, line);
        return null;
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = lines.nextContentLine();
    const why = error.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is never closed' : error.message;
    throw new AppError('INPUT_UNREADABLE', `${fileName}: line ${line}: ${why}`, { cause: error });
  }
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
  const names = cells.map((cell) => cell.replace(/^\uFEFF/u, '').normalize('NFKC').trim().toLowerCase());
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

/**
 * Physical line numbers from csv-parse's byte offsets. Its own `lines` counter drifts on CRLF inside
 * quoted fields; counting here treats CRLF, LF and a lone CR each as one line end.
 */
function createLineCounter(text: Buffer): { advanceTo(offset: number): void; nextContentLine(): number } {
  let offset = 0;
  let line = 1;
  return {
    advanceTo: (end) => {
      line += countLineBreaks(text, offset, end);
      offset = Math.max(offset, end);
    },
    /** Skips the empty lines csv-parse dropped before the next record; returns the line it starts on. */
    nextContentLine: () => {
      let end = offset;
      while (end < text.length && (text[end] === LF || text[end] === CR)) end += 1;
      line += countLineBreaks(text, offset, end);
      offset = end;
      return line;
    },
  };
}

/** Line ends in text[from, to), found with native indexOf on a view (a byte loop is 10x slower). */
function countLineBreaks(text: Buffer, from: number, to: number): number {
  if (to <= from) return 0;
  const span = text.subarray(from, to);
  let count = 0;
  for (let i = span.indexOf(LF); i !== -1; i = span.indexOf(LF, i + 1)) count += 1;
  // A CR followed by LF was counted with its LF; look past the span's end for the pair.
  for (let i = span.indexOf(CR); i !== -1; i = span.indexOf(CR, i + 1)) {
    if (text[from + i + 1] !== LF) count += 1;
  }
  return count;
}
