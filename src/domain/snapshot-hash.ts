/** A stable text form of a snapshot, and its hash: the store keeps a new snapshot only when this changes. */
import type { Hash } from './hash.js';
import type { Snapshot } from './snapshot.js';

/**
 * JSON with object keys sorted at every depth, so equal values always give byte-identical text.
 * Follows JSON.stringify for everything else: arrays keep their order, undefined properties are left
 * out, and undefined in an array is written as null.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map((item: unknown) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`);
    return `{${entries.join(',')}}`;
  }
  // No JSON form (JSON.stringify would return undefined): write null, as it does inside arrays.
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return 'null';
  return JSON.stringify(value);
}

export function snapshotHash(snapshot: Snapshot, hash: Hash): string {
  return hash(canonicalJson(snapshot));
}
