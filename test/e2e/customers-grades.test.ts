/**
 * `customers list` with grades (the built CLI): `--json` carries each customer's `grade`, `--grade G`
 * filters in the store (paged: a register over one page comes back whole and valid), `--csv` has a
 * grade column, and an unknown grade is a usage error naming the allowed ones.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliSandbox, type CliSandbox } from '../helpers/run-cli.js';
import { validUscc } from '../helpers/valid-uscc.js';

/** More than two store pages (1000 each), so paging and the JSON joins between pages are exercised. */
const COUNT = 2_345;
const uscc = (n: number): string => validUscc(5_000 + n);
/** Every third customer is risk, every seventh (not risk) good, the rest unrated. */
const gradeOf = (n: number): string => (n % 3 === 0 ? 'risk' : n % 7 === 0 ? 'good' : 'unrated');

interface Listed {
  uscc: string;
  name: string;
  grade: string;
}

describe('customers list and grades', () => {
  let cli: CliSandbox;

  beforeAll(async () => {
    cli = cliSandbox();
    const csv = join(cli.dir, 'customers.csv');
    writeFileSync(csv, `uscc,name\n${Array.from({ length: COUNT }, (_, n) => `${uscc(n)},客户${n}`).join('\n')}\n`);
    const imported = await cli.run(['customers', 'import', csv]);
    expect(imported.code, imported.stderr).toBe(0);
    const db = new Database(cli.dbPath);
    try {
      const set = db.prepare('update customers set grade = ? where uscc = ?');
      db.transaction(() => {
        for (let n = 0; n < COUNT; n += 1) set.run(gradeOf(n), uscc(n));
      })();
    } finally {
      db.close();
    }
  });
  afterAll(() => {
    cli.cleanup();
  });

  const listJson = async (...args: string[]): Promise<Listed[]> => {
    const result = await cli.run(['customers', 'list', '--json', ...args]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trimEnd()).not.toContain('\n');
    return (JSON.parse(result.stdout) as { customers: Listed[] }).customers;
  };
  const expected = (grade?: string): string[] =>
    Array.from({ length: COUNT }, (_, n) => n).filter((n) => grade === undefined || gradeOf(n) === grade).map(uscc);

  it('--json: every customer, in order, each with its grade', async () => {
    const all = await listJson();
    expect(all.map((c) => c.uscc)).toEqual(expected());
    expect(all[0]).toMatchObject({ uscc: uscc(0), name: '客户0', grade: 'risk', paused: false, lastCheckedAt: null });
    expect(all[7]?.grade).toBe('good');
    expect(all[1]?.grade).toBe('unrated');
    expect(Object.keys(all[0] ?? {}).sort()).toEqual(['consecutiveFailures', 'grade', 'lastCheckedAt', 'name', 'nextCheckAt', 'paused', 'tags', 'uscc']);
  });

  it.each(['risk', 'good', 'unrated', 'excellent'])('--grade %s: exactly the customers of that grade', async (grade) => {
    const listed = await listJson('--grade', grade);
    expect(listed.map((c) => c.uscc)).toEqual(expected(grade));
    for (const c of listed) expect(c.grade).toBe(grade);
  });

  it('--grade in text and CSV', async () => {
    const text = await cli.run(['customers', 'list', '--grade', 'good']);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe(`${expected('good').length} customer(s)`);
    expect(lines[0]).toMatch(new RegExp(`^${uscc(7)}  客户7  \\[\\]  良好  ok  last=never$`));

    const csv = await cli.run(['customers', 'list', '--csv', '--grade', 'risk']);
    expect(csv.code, csv.stderr).toBe(0);
    const rows = csv.stdout.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
    expect(rows[0]).toBe('uscc,name,tags,paused,lastCheckedAt,nextCheckAt,consecutiveFailures,grade');
    expect(rows).toHaveLength(expected('risk').length + 1);
    expect(rows[1]).toBe(`${uscc(0)},客户0,,false,,,0,risk`);
  });

  it('an unknown grade: exit 2, one line naming the allowed grades, nothing on stdout', async () => {
    const result = await cli.run(['customers', 'list', '--grade', '优质']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd()).toBe('credit-monitor: --grade "优质": expected one of excellent, good, fair, risk, unrated');
  });
});
