/** The embedded Redis's password file (issue 9 point 17): generated once, owner-only, checked when read. */
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { readOrCreateRedisPassword, readRedisPassword, redisPasswordFile } from '../../src/jobs/redis-password.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cm-redis-password-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

it('is generated once (256 random bits, 0600) and read back the same on every later start', () => {
  expect(readRedisPassword(dir)).toBeUndefined();
  const password = readOrCreateRedisPassword(dir);
  expect(password).toMatch(/^[0-9a-f]{64}$/);
  expect(statSync(redisPasswordFile(dir)).mode & 0o777).toBe(0o600);
  expect(readOrCreateRedisPassword(dir)).toBe(password);
  expect(readRedisPassword(dir)).toBe(password);
  expect(readFileSync(redisPasswordFile(dir), 'utf8')).toBe(`${password}\n`);
});

it('a password file others can read is made owner-only when read', () => {
  writeFileSync(redisPasswordFile(dir), 'OperatorChosenPassword1\n');
  chmodSync(redisPasswordFile(dir), 0o644);
  expect(readRedisPassword(dir)).toBe('OperatorChosenPassword1');
  expect(statSync(redisPasswordFile(dir)).mode & 0o777).toBe(0o600);
});

it.each(['short', 'has spaces in it, twenty chars', ''])('a file holding %j is refused with one line naming it', (text) => {
  writeFileSync(redisPasswordFile(dir), text, { mode: 0o600 });
  expect(() => readRedisPassword(dir)).toThrow(
    expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining(redisPasswordFile(dir)) as string }),
  );
});
