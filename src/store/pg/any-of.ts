/** Set membership with the whole list as one array parameter (`= ANY($1::text[])`). */
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';

/**
 * `expression = ANY($n::type[])`: one parameter however long the list, where `inArray` binds one
 * parameter per value and so meets PostgreSQL's limit of 65535 per statement. An empty list
 * matches nothing.
 */
export function anyOf(expression: SQLWrapper, values: readonly string[] | readonly number[], type: 'text' | 'int'): SQL {
  return sql`${expression} = ANY(${sql.param(values)}::${sql.raw(type)}[])`;
}

/** Rows in statements of at most `size`, so that a multi-row INSERT stays under the parameter limit. */
export function chunked<T>(rows: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < rows.length; start += size) chunks.push(rows.slice(start, start + size));
  return chunks;
}
