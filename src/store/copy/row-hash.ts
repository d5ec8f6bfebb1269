/** A table's content hash, computed the same way on both dialects from the rows drizzle decodes. */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../domain/snapshot-hash.js';

const MODULUS = 1n << 256n;

export interface TableHash {
  /**
   * Adds one decoded row (booleans as booleans, JSON as values, times as numbers). Give `position`
   * where the order of rows is data (events): then the same rows in another order hash differently.
   */
  add(row: Readonly<Record<string, unknown>>, position?: number): void;
  /** 64 hex digits. */
  digest(): string;
}

/**
 * The sum, modulo 2^256, of each row's sha256 over its canonical JSON (keys sorted). A sum does not
 * depend on the order rows are read in, which differs between the dialects where keys are text
 * (SQLite compares bytes, PostgreSQL its collation), and needs no memory beyond one number.
 */
export function createTableHash(): TableHash {
  let sum = 0n;
  return {
    add(row, position) {
      const text = position === undefined ? canonicalJson(row) : canonicalJson([position, row]);
      sum = (sum + BigInt(`0x${createHash('sha256').update(text).digest('hex')}`)) % MODULUS;
    },
    digest: () => sum.toString(16).padStart(64, '0'),
  };
}
