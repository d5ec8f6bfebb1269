/**
 * Reading a trading-figures CSV from the ERP (DESIGN "Credit grades and strategy"): bytes in (UTF-8,
 * BOM or GBK), the rows the `figures import` use case takes out (app/figures-rows.ts). Pure over the
 * bytes, like customer-csv.ts, and with the same rules: header in any order and case, rejected rows
 * by physical line naming column and value, the last of a repeated row wins.
 */
import { quote } from '../app/customer-fields.js';
import type { CsvRejection } from '../app/customer-rows.js';
import { parseAmount, parseAsOf, parsePercent } from '../app/figures-fields.js';
import type { FiguresCsvDuplicate, FiguresCsvRow, FiguresCsvWarning, ParsedFiguresCsv } from '../app/figures-rows.js';
import { parseUscc } from '../domain/uscc.js';
import { AppError } from '../errors.js';
import { columnName, readCsvRecords } from './read-csv-records.js';

export interface ParseFiguresCsvOptions {
  /** Accept a code whose only fault is its check digit (2015–16 pilot codes), with a warning. */
  acceptCheckDigitMismatch?: boolean;
  /** YYYY-MM-DD (Asia/Shanghai): an `asOf` after it is rejected (a typo would stay "fresh" for years). */
  today?: string;
}

/** The header's columns as the contract spells them; matched case-insensitively. */
const REQUIRED = ['uscc', 'asOf', 'onTimePaymentRate', 'fulfilmentRate'] as const;
type RequiredColumn = (typeof REQUIRED)[number];
type OptionalColumn = 'overdueAmount' | 'creditLimit';
type Column = RequiredColumn | OptionalColumn;
type Columns = Record<RequiredColumn, number> & Record<OptionalColumn, number | undefined> & { count: number };

/** The American spelling, named in the refusal so that it can be fixed (one name per column, no aliases). */
const MISSPELLINGS: Readonly<Record<string, Column>> = { fulfillmentrate: 'fulfilmentRate' };

type Accepted = FiguresCsvRow & { warning?: string };

/**
 * Parses a trading-figures CSV: header `uscc,asOf,onTimePaymentRate,fulfilmentRate[,overdueAmount]
 * [,creditLimit]`, rates in percent (0–100, "98.5" or "98.5%"), amounts in CNY (≥ 0). The same code
 * and asOf twice keeps the last row and reports the earlier as a duplicate.
 * @throws AppError `INPUT_UNREADABLE` (one line naming `fileName`) when the file cannot be a figures
 *   CSV at all: empty, binary, a required column missing, a column named twice, an unclosed quote.
 */
export function parseFiguresCsv(bytes: Buffer, fileName: string, options: ParseFiguresCsvOptions = {}): ParsedFiguresCsv {
  const accepted: Accepted[] = [];
  const rejected: CsvRejection[] = [];
  const dropped: Accepted[] = [];
  const indexByRow = new Map<string, number>();
  let columns: Columns | undefined;
  let headerLine = 1;

  const { encoding } = readCsvRecords(bytes, fileName, (cells, line, foreign) => {
    if (columns === undefined) {
      columns = readHeader(cells, line, fileName);
      headerLine = line;
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
    const key = `${row.uscc} ${row.figures.asOf}`;
    const earlier = indexByRow.get(key);
    if (earlier !== undefined) {
      const previous = accepted[earlier];
      if (previous !== undefined) dropped.push(previous);
    }
    indexByRow.set(key, accepted.length);
    accepted.push(row);
  });
  if (columns === undefined) throw new AppError('INPUT_UNREADABLE', `${fileName}: the file is empty`);

  const rows: FiguresCsvRow[] = [];
  const warnings: FiguresCsvWarning[] = [];
  accepted.forEach(({ warning, ...row }, index) => {
    if (indexByRow.get(`${row.uscc} ${row.figures.asOf}`) !== index) return; // a later row of the same pair wins
    rows.push(row);
    if (warning !== undefined) warnings.push({ line: row.line, uscc: row.uscc, kind: 'check_digit_mismatch', reason: warning });
  });
  const fractions = fractionWarning(rows, headerLine, fileName);
  if (fractions !== undefined) warnings.unshift(fractions);
  const duplicates: FiguresCsvDuplicate[] = dropped
    .map(({ line, uscc, figures }) => ({
      line,
      uscc,
      asOf: figures.asOf,
      keptLine: accepted[indexByRow.get(`${uscc} ${figures.asOf}`) ?? -1]?.line ?? line,
    }))
    .sort((a, b) => a.line - b.line);
  return { encoding, rows, rejected, duplicates, warnings };
}

function readHeader(cells: string[], line: number, fileName: string): Columns {
  const names = cells.map(columnName);
  const refuse = (why: string): AppError => new AppError('INPUT_UNREADABLE', `${fileName}: line ${line}: ${why}`);
  const find = (column: Column): number | undefined => {
    const first = names.indexOf(column.toLowerCase());
    if (first === -1) return undefined;
    if (names.indexOf(column.toLowerCase(), first + 1) !== -1) throw refuse(`the header names column ${column} twice`);
    return first;
  };
  const missing = REQUIRED.filter((column) => find(column) === undefined);
  if (missing.length > 0) {
    const hints = names.flatMap((name) => {
      const meant = MISSPELLINGS[name];
      return meant !== undefined && missing.includes(meant as RequiredColumn) ? [`${quote(name)} should read ${meant}`] : [];
    });
    throw refuse(
      `no header row naming the columns ${REQUIRED.join(', ')} (missing ${missing.join(', ')}${hints.length > 0 ? `; ${hints.join(', ')}` : ''}; found ${quote(cells.join(','))})`,
    );
  }
  const at = (column: RequiredColumn): number => find(column) ?? -1;
  return {
    uscc: at('uscc'),
    asOf: at('asOf'),
    onTimePaymentRate: at('onTimePaymentRate'),
    fulfilmentRate: at('fulfilmentRate'),
    overdueAmount: find('overdueAmount'),
    creditLimit: find('creditLimit'),
    count: cells.length,
  };
}

function readRow(cells: string[], line: number, columns: Columns, options: ParseFiguresCsvOptions): Accepted | CsvRejection {
  const problems: string[] = [];
  let warning: string | undefined;
  if (cells.slice(columns.count).some((cell) => cell.trim() !== '')) {
    problems.push(`${cells.length} fields but the header has ${columns.count} (quote a value that contains a comma, e.g. "12,000.50")`);
  }
  const cell = (index: number | undefined): string => (index === undefined ? '' : (cells[index] ?? ''));

  const rawUscc = cell(columns.uscc).trim();
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
  const asOf = parseAsOf(cell(columns.asOf), options.today);
  const onTime = parsePercent(cell(columns.onTimePaymentRate), 'onTimePaymentRate');
  const fulfilment = parsePercent(cell(columns.fulfilmentRate), 'fulfilmentRate');
  const overdue = parseAmount(cell(columns.overdueAmount), 'overdueAmount');
  const limit = parseAmount(cell(columns.creditLimit), 'creditLimit');
  for (const field of [asOf, onTime, fulfilment, overdue, limit]) {
    if (!field.ok) problems.push(field.reason);
  }
  if (problems.length > 0 || !asOf.ok || !onTime.ok || !fulfilment.ok || !overdue.ok || !limit.ok) {
    return { line, reason: `line ${line}: ${problems.join('; ')}` };
  }
  const figures = { asOf: asOf.value, onTimePaymentRate: onTime.value, fulfilmentRate: fulfilment.value, overdueAmount: overdue.value, creditLimit: limit.value };
  const row = { line, uscc: uscc.uscc, figures };
  return warning === undefined ? row : { ...row, warning };
}

/** Every rate at most 1 in a file with some rate above 0: fractions (0.985) where percent (98.5) was meant. */
function fractionWarning(rows: readonly FiguresCsvRow[], line: number, fileName: string): FiguresCsvWarning | undefined {
  const rates = rows.flatMap((row) => [row.figures.onTimePaymentRate, row.figures.fulfilmentRate]);
  if (rates.length === 0 || rates.some((rate) => rate > 1) || rates.every((rate) => rate === 0)) return undefined;
  return {
    line,
    uscc: null,
    kind: 'rates_look_like_fractions',
    reason: `${fileName}: every rate is at most 1: rates are read as percent (98.5 or 98.5%), so 0.985 means 0.985 %, not 98.5 %`,
  };
}
