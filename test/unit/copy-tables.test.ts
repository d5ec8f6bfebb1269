import { getTableColumns, getTableName, is, Table } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import { COPY_TABLES } from '../../src/store/copy/copy-tables.js';
import * as pgSchema from '../../src/store/schema.pg.js';
import * as sqliteSchema from '../../src/store/schema.js';

const tableNames = (schema: Record<string, unknown>, kind: typeof SQLiteTable | typeof PgTable): string[] =>
  Object.values(schema)
    .filter((value): value is Table => is(value, kind) && is(value, Table))
    .map((table) => getTableName(table))
    .sort();

describe('the tables db copy moves', () => {
  it('are every table of both schemas, each once', () => {
    const copied = COPY_TABLES.map((t) => t.name);
    expect(new Set(copied).size).toBe(copied.length);
    expect([...copied].sort()).toEqual(tableNames(sqliteSchema, SQLiteTable));
    expect([...copied].sort()).toEqual(tableNames(pgSchema, PgTable));
  });

  it('come parents first: customers, snapshots, cases, events, deliveries', () => {
    expect(COPY_TABLES.slice(0, 5).map((t) => t.name)).toEqual(['customers', 'snapshots', 'cases', 'events', 'deliveries']);
  });

  it.each(COPY_TABLES.map((t) => [t.name, t] as const))('%s has the same columns in both dialects (events.seq only on PostgreSQL)', (name, table) => {
    const sqliteColumns = Object.entries(getTableColumns(table.sqlite)).map(([key, column]) => [key, column.name]);
    const pgColumns = Object.entries(getTableColumns(table.pg)).map(([key, column]) => [key, column.name]).filter(([key]) => !(name === 'events' && key === 'seq'));
    expect(pgColumns.sort()).toEqual(sqliteColumns.sort());
    expect([...table.columns].sort()).toEqual(sqliteColumns.map(([key]) => key).sort());
    expect(getTableName(table.pg)).toBe(name);
  });
});
