/** Rows in statements of at most `size`, so that a multi-row INSERT stays under PostgreSQL's 65535 parameters. */
export function chunked<T>(rows: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < rows.length; start += size) chunks.push(rows.slice(start, start + size));
  return chunks;
}
