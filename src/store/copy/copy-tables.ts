/** The tables `db copy` moves, in foreign-key order, with what each needs to be read in batches. */
import { getTableColumns, getTableName } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as pgSchema from '../schema.pg.js';
import * as sqliteSchema from '../schema.js';

export interface CopyTable {
  /** The SQL name, the same in both dialects. */
  readonly name: string;
  readonly sqlite: SQLiteTable;
  readonly pg: PgTable;
  /** The columns copied, as drizzle property names: every column of the SQLite table. */
  readonly columns: readonly string[];
  /**
   * What batches are read in: the primary key, or `insertion` (SQLite's rowid, PostgreSQL's
   * `events.seq`) where the order of rows is data, as the tie-break of events in one millisecond.
   */
  readonly order: { kind: 'key'; columns: readonly string[] } | { kind: 'insertion'; pgColumn: string };
  /** A serial id column whose sequence the destination must carry on from (never reusing an id). */
  readonly serial?: string;
}

function table(sqlite: SQLiteTable, pg: PgTable, order: CopyTable['order'], serial?: string): CopyTable {
  const columns = Object.keys(getTableColumns(sqlite));
  return { name: getTableName(sqlite), sqlite, pg, columns, order, ...(serial === undefined ? {} : { serial }) };
}

const byKey = (...columns: string[]): CopyTable['order'] => ({ kind: 'key', columns });

/**
 * Parents before children: customers, snapshots, cases (events reference their case; a case's lead
 * event is no foreign key), events, deliveries, then the rest (each references customers at most).
 */
export const COPY_TABLES: readonly CopyTable[] = [
  table(sqliteSchema.customers, pgSchema.customers, byKey('id'), 'id'),
  table(sqliteSchema.snapshots, pgSchema.snapshots, byKey('id'), 'id'),
  table(sqliteSchema.cases, pgSchema.cases, byKey('id')),
  table(sqliteSchema.events, pgSchema.events, { kind: 'insertion', pgColumn: 'seq' }),
  table(sqliteSchema.deliveries, pgSchema.deliveries, byKey('id')),
  table(sqliteSchema.auditLog, pgSchema.auditLog, byKey('id'), 'id'),
  table(sqliteSchema.meta, pgSchema.meta, byKey('key')),
  table(sqliteSchema.webhookTargets, pgSchema.webhookTargets, byKey('name')),
  table(sqliteSchema.digests, pgSchema.digests, byKey('period')),
  table(sqliteSchema.rescanRequests, pgSchema.rescanRequests, byKey('id'), 'id'),
  table(sqliteSchema.deliveryTargets, pgSchema.deliveryTargets, byKey('channel', 'target')),
  table(sqliteSchema.gradeHistory, pgSchema.gradeHistory, byKey('id'), 'id'),
  table(sqliteSchema.tradingFigures, pgSchema.tradingFigures, byKey('customerId', 'asOf')),
  table(sqliteSchema.apiTokens, pgSchema.apiTokens, byKey('id')),
];
