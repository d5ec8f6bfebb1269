const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: quoted when needed, and a leading formula character neutralised with "'". */
export function csvCell(value: unknown): string {
  let text =
    value === null || value === undefined
      ? ''
      : typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : JSON.stringify(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** UTF-8 with BOM so that Excel opens Chinese text correctly; CRLF line ends as RFC 4180 says. */
export function toCsv(header: string[], rows: unknown[][]): string {
  return `\uFEFF${csvRows([header, ...rows])}`;
}

/** Rows without BOM or header, each ending in CRLF: the pages after `toCsv(header, [])`. */
export function csvRows(rows: unknown[][]): string {
  return rows.map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');
}
