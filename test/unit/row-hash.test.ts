import { describe, expect, it } from 'vitest';
import { createTableHash } from '../../src/store/copy/row-hash.js';

type Row = Record<string, unknown>;
const hashOf = (rows: Row[], positioned = false): string => {
  const hash = createTableHash();
  rows.forEach((row, i) => { hash.add(row, positioned ? i : undefined); });
  return hash.digest();
};

const a: Row = { id: 1, paused: true, tags: ['华南', 'x'], body: { z: 1.5, a: { y: null, x: [3, 1] } }, removedAt: null };
const b: Row = { id: 2, paused: false, tags: [], body: {}, removedAt: 1_795_776_137_391 };

describe('the content hash of a table', () => {
  it('is 64 hex digits, zero for no rows', () => {
    expect(hashOf([])).toBe('0'.repeat(64));
    expect(hashOf([a])).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on the order rows are read in, nor on the order of keys', () => {
    const reordered: Row = { removedAt: null, body: { a: { x: [3, 1], y: null }, z: 1.5 }, tags: ['华南', 'x'], paused: true, id: 1 };
    expect(hashOf([b, reordered])).toBe(hashOf([a, b]));
  });

  it('depends on the order when rows are hashed with their positions (events)', () => {
    expect(hashOf([b, a], true)).not.toBe(hashOf([a, b], true));
    expect(hashOf([a, b], true)).toBe(hashOf([a, b], true));
  });

  it.each([
    { name: 'a boolean stored as a number', change: { paused: 1 } },
    { name: 'a null become an empty string', change: { removedAt: '' } },
    { name: 'a number as text', change: { id: '1' } },
    { name: 'the order inside a JSON array', change: { tags: ['x', '华南'] } },
    { name: 'a nested JSON value', change: { body: { z: 1.5, a: { y: null, x: [3, 2] } } } },
    { name: 'a missing column', change: { removedAt: undefined } },
  ])('changes with $name', ({ change }) => {
    expect(hashOf([{ ...a, ...change }, b])).not.toBe(hashOf([a, b]));
  });

  it('tells a row copied twice from two different rows', () => {
    expect(hashOf([a, a])).not.toBe(hashOf([a]));
    expect(hashOf([a, a])).not.toBe(hashOf([a, b]));
  });
});
