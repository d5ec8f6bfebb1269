/** Turning the bytes of an uploaded CSV into UTF-8, whatever Excel saved it as. */
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { AppError } from '../errors.js';

export interface DecodedCsv {
  /** The file as UTF-8 without a BOM, ready for csv-parse (whose offsets are UTF-8 bytes). */
  utf8: Buffer;
  /** What the file was written in. */
  encoding: 'utf-8' | 'gbk';
  /**
   * Physical line numbers (1-based) written in the other encoding than the rest of the file (a UTF-8
   * file with a GBK line pasted in, or the reverse): their text cannot be trusted, so their rows are
   * rejected rather than imported as mojibake.
   */
  foreignLines: ReadonlySet<number>;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

/**
 * Accepts UTF-8 with or without BOM, else GBK (Excel on Chinese Windows saves CSV in code page 936).
 * Strict UTF-8 decides: GBK text of any length is almost never valid UTF-8, and ASCII is both.
 * GBK is decoded as GB18030, its superset, so that every GBK file decodes the same and rarer
 * characters in company names survive.
 * @throws AppError `INPUT_UNREADABLE` naming `fileName` for an empty, binary or UTF-16 file.
 */
export function decodeCsvBytes(bytes: Buffer, fileName: string): DecodedCsv {
  const refuse = (why: string): AppError => new AppError('INPUT_UNREADABLE', `${fileName}: ${why}`);
  const hasBom = UTF8_BOM.every((byte, i) => bytes[i] === byte);
  const body = hasBom ? bytes.subarray(UTF8_BOM.length) : bytes;
  if (isBlank(body)) throw refuse('the file is empty');
  const kind = binaryKind(body);
  if (kind !== undefined) throw refuse(`${kind}, not a CSV text file`);
  if (isUtf8(body)) return { utf8: body, encoding: 'utf-8', foreignLines: new Set() };
  // Not UTF-8 as a whole: GBK, or a mix. Lines with non-ASCII bytes vote; GBK text of a company
  // name is almost never valid UTF-8, so a valid line is really UTF-8.
  const utf8Lines = new Set<number>();
  const otherLines = new Set<number>();
  forEachLine(body, (line, number) => {
    if (!line.some((byte) => byte >= 0x80)) return;
    (isUtf8(line) ? utf8Lines : otherLines).add(number);
  });
  if (utf8Lines.size > otherLines.size) {
    // Mostly UTF-8: keep it UTF-8 (bad bytes become U+FFFD) and reject the foreign lines.
    return { utf8: Buffer.from(new TextDecoder('utf-8').decode(body), 'utf8'), encoding: 'utf-8', foreignLines: otherLines };
  }
  return { utf8: Buffer.from(iconv.decode(body, 'gb18030'), 'utf8'), encoding: 'gbk', foreignLines: utf8Lines };
}

/** Calls `visit` with each physical line (without its end) and its 1-based number; CRLF, LF and a lone CR end a line. */
function forEachLine(bytes: Buffer, visit: (line: Buffer, number: number) => void): void {
  let start = 0;
  let number = 1;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte !== 0x0a && byte !== 0x0d) continue;
    visit(bytes.subarray(start, i), number);
    number += 1;
    if (byte === 0x0d && bytes[i + 1] === 0x0a) i += 1;
    start = i + 1;
  }
  if (start < bytes.length) visit(bytes.subarray(start), number);
}

function isBlank(bytes: Buffer): boolean {
  for (const byte of bytes) {
    // space, tab, LF, CR
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false;
  }
  return true;
}

/** Names what a non-text file looks like, so the operator knows what to do; undefined for text. */
function binaryKind(bytes: Buffer): string | undefined {
  const startsWith = (...signature: number[]): boolean => signature.every((byte, i) => bytes[i] === byte);
  if (startsWith(0xff, 0xfe) || startsWith(0xfe, 0xff)) return 'the file is UTF-16 text (save it as CSV UTF-8)';
  if (startsWith(0x50, 0x4b, 0x03, 0x04)) return 'the file is an Excel workbook or another zip archive (save it as CSV)';
  if (startsWith(0xd0, 0xcf, 0x11, 0xe0)) return 'the file is an old Excel workbook (save it as CSV)';
  // Neither UTF-8 nor GBK text ever contains a NUL byte.
  if (bytes.includes(0)) return 'the file is binary (it contains NUL bytes)';
  return undefined;
}
