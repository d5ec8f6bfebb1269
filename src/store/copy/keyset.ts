/** The keyset pieces both dialects share: which columns order a table, and "after this cursor". */
import { sql, type Column, type SQL } from 'drizzle-orm';
import type { CopyRow, Cursor } from './batch-reader.js';
import type { CopyTable } from './copy-tables.js';

/** The select alias of the insertion-order column (SQLite's rowid, PostgreSQL's seq); not a column name. */
export const CURSOR_FIELD = '__copy_cursor';

/** The columns named `names` out of a table's (`getTableColumns`), for a select. */
export function copiedColumns<C extends Column>(columns: Record<string, C>, names: readonly string[]): Record<string, C> {
  return Object.fromEntries(names.map((name) => [name, required(columns[name], name)]));
}

/** The key columns (or the insertion-order expression) of a keyset read. */
export function keyColumns<C extends Column>(columns: Record<string, C>, copy: CopyTable, insertion?: SQL | C): Array<SQL | C> {
  if (copy.order.kind === 'insertion') return [required(insertion, 'of insertion order')];
  return copy.order.columns.map((name) => required(columns[name], name));
}

/** `key > cursor`: a row-value comparison, which both dialects answer from the key's index. */
export function afterCursor(keys: ReadonlyArray<SQL | Column>, cursor: Cursor): SQL {
  const values = cursor.map((value) => sql`${value}`);
  if (keys.length === 1) return sql`${keys[0]} > ${values[0]}`;
  return sql`(${sql.join([...keys], sql`, `)}) > (${sql.join(values, sql`, `)})`;
}

/** Splits the cursor field off decoded rows, and the next cursor from the last one. */
export function splitCursor(copy: CopyTable, selected: readonly CopyRow[]): { rows: CopyRow[]; cursor: Cursor | undefined } {
  const last = selected.at(-1);
  if (copy.order.kind === 'key') {
    const names = copy.order.columns;
    return { rows: [...selected], cursor: last === undefined ? undefined : names.map((name) => last[name]) };
  }
  const rows = selected.map((row) => Object.fromEntries(Object.entries(row).filter(([name]) => name !== CURSOR_FIELD)));
  return { rows, cursor: last === undefined ? undefined : [last[CURSOR_FIELD]] };
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`db copy: the schema has no column ${name}`);
  return value;
}
