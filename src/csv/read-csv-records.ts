/**
 * The part every CSV import shares: bytes decoded (UTF-8, BOM or GBK, see decode-csv-bytes.ts),
 * records parsed with their physical line numbers, blank lines skipped, lines in the other encoding
 * flagged. What a record means is the caller's.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { AppError } from '../errors.js';
import { decodeCsvBytes } from './decode-csv-bytes.js';

const LF = 0x0a;
const CR = 0x0d;

export interface CsvRecords {
  encoding: 'utf-8' | 'gbk';
}

/**
 * Calls `onRecord` with each record that is not blank (a blank line, or one of only commas), its
 * physical line number (CRLF, LF and a lone CR each end a line; the first line is 1), and, when the
 * line is written in the other encoding than the file (its text cannot be trusted), the reason to
 * reject it.
 * @throws AppError `INPUT_UNREADABLE` naming `fileName` for an empty or binary file, or a quoted
 *   field that never closes.
 */
export function readCsvRecords(
  bytes: Buffer,
  fileName: string,
  onRecord: (cells: string[], line: number, foreign: string | undefined) => void,
): CsvRecords {
  const { utf8, encoding, foreignLines } = decodeCsvBytes(bytes, fileName);
  const lines = createLineCounter(utf8);
  try {
    // on_record returns null so csv-parse keeps nothing: memory stays at what the caller keeps.
    parse(utf8, {
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      // Explicit, because auto-detection takes the first line's ending for the whole file.
      record_delimiter: ['\r\n', '\n', '\r'],
      on_record: (cells: string[], context) => {
        const line = lines.nextContentLine();
        lines.advanceTo(context.bytes);
        if (cells.every((cell) => cell.trim() === '')) return null;
        onRecord(cells, line, foreignLines.has(line) ? foreignLineReason(line, encoding) : undefined);
        return null;
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = lines.nextContentLine();
    const why = error.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is never closed' : error.message;
    throw new AppError('INPUT_UNREADABLE', `${fileName}: line ${line}: ${why}`, { cause: error });
  }
  return { encoding };
}

/** A header cell as a column name: BOM dropped, NFKC, trimmed, lower case. */
export function columnName(cell: string): string {
  return cell.replace(/^\uFEFF/u, '').normalize('NFKC').trim().toLowerCase();
}

/** The rejection reason for a line in the other encoding than the file. */
function foreignLineReason(line: number, encoding: 'utf-8' | 'gbk'): string {
  const other = encoding === 'utf-8' ? 'GBK' : 'UTF-8';
  return `line ${line}: the line is ${other} text in a ${encoding.toUpperCase()} file (mixed encodings: save the whole file in one encoding)`;
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
