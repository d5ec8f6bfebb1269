/**
 * `credit-monitor figures import` as a child process, with no provider and no Redis: the same rules
 * as `customers import` (per-row errors by line, exit 1 when a row was rejected, exit 2 and nothing
 * imported for a file that cannot be a figures CSV, GBK, --report, --json).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliSandbox, type CliSandbox } from '../helpers/run-cli.js';
import { validUscc } from '../helpers/valid-uscc.js';

const A = '91440300708461136T';
const B = '914403001922038216';
const HEADER = 'uscc,asOf,onTimePaymentRate,fulfilmentRate,overdueAmount,creditLimit';

let cli: CliSandbox;
beforeEach(async () => {
  cli = cliSandbox();
  for (const [uscc, name] of [[A, '平安银行股份有限公司'], [B, '招商银行股份有限公司']] as const) {
    expect((await cli.run(['customers', 'add', '--uscc', uscc, '--name', name])).code).toBe(0);
  }
});
afterEach(() => {
  cli.cleanup();
});

function file(name: string, text: string, encoding: 'utf8' | 'gbk' = 'utf8'): string {
  const path = join(cli.dir, name);
  writeFileSync(path, encoding === 'gbk' ? iconv.encode(text, 'gbk') : text);
  return path;
}

describe('credit-monitor figures import', () => {
  it('imports every valid row, names each rejected one by line, and exits 1', async () => {
    const path = file(
      'figures.csv',
      [
        HEADER,
        `${A},2026-10-31,98.5%,100,0,5000000`,
        `${B},2026/10/31,91,96.5,"12,000.50",`,
        `${A},2026-10-31,abc,100,,`,
        `${validUscc(900)},2026-10-31,99,100,,`,
        `${B},2099-01-01,99,100,,`,
      ].join('\n'),
    );
    const result = await cli.run(['figures', 'import', path]);
    expect(result.code).toBe(1);
    const stderr = result.stderr.trimEnd().split('\n');
    expect(stderr).toEqual([
      expect.stringMatching(new RegExp(`^${path}: rejected line 4: onTimePaymentRate "abc"`)) as string,
      `${path}: rejected line 5: uscc ${validUscc(900)}: no such customer in the register (add it with customers add or customers import first)`,
      expect.stringMatching(new RegExp(`^${path}: rejected line 6: asOf "2099-01-01": is after today`)) as string,
    ]);
    // Never checked: nothing to grade yet, so no grade changes.
    expect(result.stdout).toBe('imported 2 (created 2, updated 0, unchanged 0); rejected 3; duplicates 0; re-graded 2 (0 changed, 0 event(s)); encoding utf-8\n');
  });

  it('reads GBK, and a re-import of the same file changes nothing (exit 0)', async () => {
    const text = `${HEADER}\n${A},2026年10月31日,99,100,0,\n`;
    const first = await cli.run(['figures', 'import', file('gbk.csv', text, 'gbk')]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('created 1');
    expect(first.stdout).toContain('encoding gbk');
    const again = await cli.run(['figures', 'import', file('gbk.csv', text, 'gbk'), '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ encoding: 'gbk', imported: 1, created: 0, updated: 0, unchanged: 1, rejected: [], regraded: 1, gradeChanges: [], events: 0 });
  });

  it.each([
    ['empty.csv', '', /: the file is empty$/],
    ['no-columns.csv', 'uscc,asOf,fulfillmentRate\n', /no header row naming the columns uscc, asOf, onTimePaymentRate, fulfilmentRate \(missing onTimePaymentRate, fulfilmentRate; "fulfillmentrate" should read fulfilmentRate/],
  ])('refuses %s whole: exit 2, one line, nothing imported', async (name, text, message) => {
    const path = file(name, text);
    const result = await cli.run(['figures', 'import', path]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(lines[0]).toContain(path);
  });

  it('refuses a file that cannot be read: exit 2 naming it', async () => {
    const missing = join(cli.dir, 'missing.csv');
    const result = await cli.run(['figures', 'import', missing]);
    expect(result).toMatchObject({ code: 2, stdout: '', stderr: `credit-monitor: ${missing}: cannot read (ENOENT)\n` });
  });

  it('shows the first 20 row messages and a count of the rest; --report has every one', async () => {
    const bad = Array.from({ length: 30 }, () => `${A},not-a-date,99,100,,`);
    const path = file('many.csv', [HEADER, ...bad, `${B},2026-10-31,99,100,,`].join('\n'));
    const reportPath = join(cli.dir, 'report.txt');
    const plain = await cli.run(['figures', 'import', path]);
    const stderr = plain.stderr.trimEnd().split('\n');
    expect(stderr).toHaveLength(21);
    expect(stderr[20]).toBe(`${path}: 10 more row messages not shown (10 rejected); add --report FILE to write them all`);
    const reported = await cli.run(['figures', 'import', path, '--report', reportPath]);
    expect(reported.code).toBe(1);
    expect(reported.stderr.trimEnd().split('\n')[20]).toBe(`${path}: 10 more row messages not shown (10 rejected); all 30 are in ${reportPath}`);
    const report = readFileSync(reportPath, 'utf8').trimEnd().split('\n');
    expect(report).toHaveLength(30);
    expect(report[29]).toMatch(new RegExp(`^${path}: rejected line 31: asOf "not-a-date"`));
  });

  it('warns about a file whose rates look like fractions, and about a repeated code and day', async () => {
    const path = file('fractions.csv', [HEADER, `${A},2026-10-31,0.98,1,,`, `${A},2026-10-31,0.99,1,,`].join('\n'));
    const result = await cli.run(['figures', 'import', path]);
    expect(result.code).toBe(0);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      `${path}: warning: every rate is at most 1: rates are read as percent (98.5 or 98.5%), so 0.985 means 0.985 %, not 98.5 %`,
      `${path}: line 2: duplicate of ${A} on 2026-10-31, line 3 kept instead`,
    ]);
  });
});
