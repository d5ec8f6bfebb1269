import { describe, expect, it } from 'vitest';
import { canonicalJson, snapshotHash } from '../../src/domain/snapshot-hash.js';
import { sha256, snapshot } from './domain-fixtures.js';

describe('canonicalJson', () => {
  it.each([
    { value: { b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }, json: '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}' },
    { value: { a: undefined, b: 'x' }, json: '{"b":"x"}' },
    { value: [undefined, 1], json: '[null,1]' },
    { value: '注销', json: '"注销"' },
    { value: null, json: 'null' },
    { value: true, json: 'true' },
  ])('$json', ({ value, json }) => {
    expect(canonicalJson(value)).toBe(json);
  });

  it('does not depend on key insertion order', () => {
    expect(canonicalJson({ x: 1, y: { a: 1, b: 2 } })).toBe(canonicalJson({ y: { b: 2, a: 1 }, x: 1 }));
  });
});

describe('snapshotHash', () => {
  it('is the hash of the canonical JSON', () => {
    const s = snapshot();
    expect(snapshotHash(s, sha256)).toBe(sha256(canonicalJson(s)));
    expect(snapshotHash(s, sha256)).toBe(snapshotHash(JSON.parse(JSON.stringify(s)) as typeof s, sha256));
  });
});
