/** Turning the bytes of an uploaded CSV into UTF-8, whatever Excel saved it as. */
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { AppError } from './errors.js';

export interface DecodedCsv {
  /** The file as UTF-8 without a BOM, ready for csv-parse (whose offsets are UTF-8 bytes). */
  utf8: Buffer;
  /** What the file was written in. */
  encoding: 'utf-8' | 'gbk';
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
  if (isUtf8(body)) return { utf8: body, encoding: 'utf-8' };
  return { utf8: Buffer.from(iconv.decode(body, 'gb18030'), 'utf8'), encoding: 'gbk' };
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
