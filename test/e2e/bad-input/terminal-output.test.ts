/**
 * What the CLI prints of outside data: no C0, C1 or bidi control character reaches the terminal,
 * on stdout or stderr, in text or JSON (where the escape is JSON's own, so the values survive).
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { cliSandbox, type CliSandbox } from '../../helpers/run-cli.js';
import { validUscc } from '../../helpers/valid-uscc.js';

// eslint-disable-next-line no-control-regex -- the point of these tests
const UNSAFE = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;
/** CSI (8-bit ANSI), NEL, a right-to-left override, an isolate and a line separator. */
const HOSTILE = 'Gone\u009b31m\u0085FORGED\u202Etxt.exe\u2066\u2028x';

let cli: CliSandbox;

beforeEach(async () => {
  cli = cliSandbox();
  expect((await cli.run(['migrate'])).code).toBe(0);
});

afterEach(() => {
  cli.cleanup();
});

it('alerts targets: a receiver\'s 410 answer with C1 and bidi controls is shown escaped, on one line', async () => {
  const db = new Database(cli.dbPath);
  try {
    db.prepare('insert into webhook_targets (name, disabled_at, disabled_reason) values (?, ?, ?)').run('default', Date.UTC(2026, 10, 27), `HTTP 410: ${HOSTILE}`);
  } finally {
    db.close();
  }
  const result = await cli.run(['alerts', 'targets']);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).not.toMatch(UNSAFE);
  const lines = result.stdout.trimEnd().split('\n');
  expect(lines).toEqual([
    'default  disabled 2026-11-27T00:00:00.000Z  HTTP 410: Gone\\u009B31m\\u0085FORGED\\u202Etxt.exe\\u2066\\u2028x',
    '1 disabled target(s)',
  ]);
});

it('customers import: a rejected name with C1 and bidi controls is reported escaped on stderr', async () => {
  const file = join(cli.dir, 'hostile.csv');
  writeFileSync(file, `uscc,name\n${validUscc(1)},"${HOSTILE}"\n`);
  const result = await cli.run(['customers', 'import', file]);
  expect(result.code).toBe(1);
  expect(result.stderr).not.toMatch(UNSAFE);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/rejected line 2: name .*\\u009B31m\\u0085FORGED\\u202E.* contains an unprintable character/);
});

it('customers list: text escapes a bidi override in a name; --json stays valid JSON with the name intact', async () => {
  const name = '平安\u202E银行\u2067股份\u2069有限公司';
  expect((await cli.run(['customers', 'add', '--uscc', validUscc(2), '--name', name])).code).toBe(0);
  const text = await cli.run(['customers', 'list']);
  expect(text.stdout).not.toMatch(UNSAFE);
  expect(text.stdout).toContain('平安\\u202E银行\\u2067股份\\u2069有限公司');
  const json = await cli.run(['customers', 'list', '--json']);
  expect(json.stdout).not.toMatch(UNSAFE);
  expect((JSON.parse(json.stdout) as { customers: Array<{ name: string }> }).customers[0]?.name).toBe(name);
});

it('an error line that echoes an argument is escaped', async () => {
  const result = await cli.run(['alerts', 'ack', 'ev\u009b2J\u202E', '--by', 'x']);
  expect(result.code).toBe(1);
  expect(result.stderr).not.toMatch(UNSAFE);
});
