/**
 * A table's INSERT as column names plus an encoder per column, from its drizzle schema. The writers
 * build one plain statement from it: drizzle's query builder spends about a millisecond per row
 * assembling a thousand-row INSERT, more than the database takes to run it.
 */
import { getTableColumns, type Table } from 'drizzle-orm';
import type { CopyRow } from './batch-reader.js';

export interface InsertPlan {
  /** The SQL column names, in statement order. */
  readonly columns: readonly string[];
  /** Their SQL types as the dialect names them (`serial` is `integer`: what a value of it is). */
  readonly types: readonly string[];
  /** Appends one row's driver values (booleans, JSON text, … as the column encodes them) to `into`. */
  encode(row: CopyRow, into: unknown[]): void;
}

/** The plan for `names` (drizzle property names) of `table`. */
export function insertPlan(table: Table, names: readonly string[]): InsertPlan {
  const all = getTableColumns(table);
  const columns = names.map((name) => {
    const column = all[name];
    if (column === undefined) throw new Error(`db copy: ${name} is not a column`);
    return column;
  });
  return {
    columns: columns.map((column) => column.name),
    types: columns.map((column) => (column.getSQLType() === 'serial' ? 'integer' : column.getSQLType())),
    encode: (row, into) => {
      columns.forEach((column, i) => {
        const value = row[names[i] ?? ''];
        // As drizzle's own parameters: null stays null, anything else goes through the column's encoder.
        into.push(value === null || value === undefined ? null : column.mapToDriverValue(value));
      });
    },
  };
}

/** `"name"`, for identifiers that come from the schema. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
