/** `column = ANY($1)`: a whole list as one array parameter, so a batch is one short statement. */
import { sql, type Column, type SQL } from 'drizzle-orm';

/** True where `column` is one of `values` (`elementType` names the array's PostgreSQL type). */
export function anyOf(column: Column, values: readonly (string | number)[], elementType: 'text' | 'integer'): SQL {
  // sql.param keeps the array one parameter (drizzle would spread a bare array into a list).
  return sql`${column} = any(${sql.param([...values])}::${sql.raw(elementType)}[])`;
}
