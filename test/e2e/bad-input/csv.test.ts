/**
 * Bad CSV input to `customers import` (DESIGN "CLI", "Contract details": CSV), and what the register
 * shows of hostile names: every case ends with a one-line error naming the fault, the contract's exit
 * code, and the customers imported before it intact. Big files are generated at test time.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliSandbox, type CliSandbox } from '../../helpers/run-cli.js';
import { validUscc } from '../../helpers/valid-uscc.js';

interface Listed { uscc: string; name: string; tags: string[] }

const GOOD = [
  [validUscc(1), '平安银行股份有限公司', 'bank'],
  [validUscc(2), '招商银行股份有限公司', 'bank;shenzhen'],
] as const;
const GOOD_CSV = `uscc,name,tags\n${GOOD.map((r) => r.join(',')).join('\n')}\n`;

let cli: CliSandbox;

beforeEach(async () => {
  cli = cliSandbox();
  const seeded = await importBytes(Buffer.from(GOOD_CSV), 'good.csv');
  expect(seeded.code, seeded.stderr).toBe(0);
});

afterEach(() => {
  cli.cleanup();
});

async function importBytes(bytes: Buffer | string, name = 'input.csv'): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const file = join(cli.dir, name);
  writeFileSync(file, bytes);
  return cli.run(['customers', 'import', file]);
}

async function listed(): Promise<Listed[]> {
  const result = await cli.run(['customers', 'list', '--json']);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { customers: Listed[] }).customers;
}

/** The seeded customers are still there, unchanged. */
async function expectSeedIntact(): Promise<void> {
  const byUscc = new Map((await listed()).map((c) => [c.uscc, c]));
  for (const [uscc, name, tags] of GOOD) expect(byUscc.get(uscc)).toMatchObject({ name, tags: tags.split(';') });
}

function oneLine(text: string): string {
  const trimmed = text.replace(/\n$/, '');
  expect(trimmed.split('\n')).toHaveLength(1);
  expect(trimmed).not.toMatch(/\n\s+at /);
  return trimmed;
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cf00000301010018dd8db00000000049454e44ae426082', 'hex');
/** The first bytes of an .xlsx (a zip archive): local file header of [Content_Types].xml. */
const XLSX = Buffer.concat([Buffer.from('504b0304140006000800000021', 'hex'), Buffer.from('[Content_Types].xml'), Buffer.alloc(64, 0x41)]);

describe('a file that is not a customer CSV is refused whole: exit 2, one line naming file and fault, nothing changed', () => {
  it.each([
    ['empty', Buffer.alloc(0), /empty/],
    ['only blank lines', Buffer.from('\n\r\n  \n'), /empty/],
    ['a BOM and nothing else', Buffer.from([0xef, 0xbb, 0xbf]), /empty/],
    ['a PNG image', PNG, /binary|NUL/],
    ['NUL bytes in text', Buffer.from('uscc,name\n91440300708461136T,A\u0000B\n'), /NUL/],
    ['an xlsx workbook (zip)', XLSX, /Excel|zip/],
    ['UTF-16 text', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('uscc,name\n', 'utf16le')]), /UTF-16/],
    ['a wrong header', Buffer.from(`code,company\n${validUscc(3)},X\n`), /header.*uscc.*name/],
    ['no header (data first)', Buffer.from(`${validUscc(3)},X\n`), /header/],
    ['a quoted field never closed', Buffer.from(`uscc,name\n${validUscc(3)},"open\n`), /line 2.*quoted field/],
  ])('%s', async (_case, bytes, fault) => {
    const result = await importBytes(bytes);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const line = oneLine(result.stderr);
    expect(line).toContain('input.csv');
    expect(line).toMatch(fault);
    expect(await listed()).toHaveLength(GOOD.length);
    await expectSeedIntact();
  });

  it('an unreadable path: exit 2 naming the file', async () => {
    const result = await cli.run(['customers', 'import', join(cli.dir, 'missing.csv')]);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toMatch(/missing\.csv.*ENOENT/);
    await expectSeedIntact();
  });
});

describe('big and repetitive files', () => {
  it('a 50 MB file (~87,000 distinct customers with long names) imports in one go, exit 0, seeds kept', async () => {
    const parts = ['uscc,name,tags'];
    const pad = '某'.repeat(190);
    let size = 0;
    for (let i = 0; size < 50 * 1024 * 1024; i++) {
      const line = `${validUscc(100_000 + i)},${pad}${i}公司,t`;
      parts.push(line);
      size += Buffer.byteLength(line) + 1;
    }
    const count = parts.length - 1;
    const result = await importBytes(`${parts.join('\n')}\n`, 'big.csv');
    expect(result.code, result.stderr.slice(0, 500)).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`imported ${count} .*rejected 0`));
    const db = new Database(cli.dbPath, { readonly: true });
    try {
      expect(db.prepare('select count(*) as n from customers').get()).toEqual({ n: GOOD.length + count });
      for (const [uscc, name] of GOOD) expect(db.prepare('select name from customers where uscc = ?').get(uscc)).toEqual({ name });
    } finally {
      db.close();
    }
  }, 60_000);

  it('10,000 duplicate rows: the last wins, exit 0; the terminal shows the first 20 row messages and counts the rest', async () => {
    const uscc = validUscc(7);
    const lines = ['uscc,name'];
    for (let i = 1; i <= 10_000; i++) lines.push(`${uscc},重复公司${i}`);
    const result = await importBytes(`${lines.join('\n')}\n`);
    expect(result.code, result.stderr.slice(0, 300)).toBe(0);
    expect(result.stdout).toMatch(/imported 1 .*rejected 0; duplicates 9999/);
    const stderr = result.stderr.trimEnd().split('\n');
    expect(stderr).toHaveLength(21);
    expect(stderr[0]).toBe(`${join(cli.dir, 'input.csv')}: line 2: duplicate of ${uscc}, line 10001 kept instead`);
    expect(stderr[19]).toBe(`${join(cli.dir, 'input.csv')}: line 21: duplicate of ${uscc}, line 10001 kept instead`);
    expect(stderr[20]).toBe(`${join(cli.dir, 'input.csv')}: 9979 more row messages not shown (9979 duplicate); add --report FILE to write them all`);
    expect((await listed()).find((c) => c.uscc === uscc)?.name).toBe('重复公司10000');
    await expectSeedIntact();
  });
});

describe('row messages of a big import: summarised on the terminal, all in --report and --json', () => {
  /** A ~5 MB file of one repeated row, except a few bad rows, as an operator's broken export might be. */
  function repeatedRowFile(): { text: string; rows: number; badLines: number[]; keptLine: number } {
    const row = `${validUscc(8)},重复的一行有限公司ABCDEFGHIJKLMNOPQRS`;
    const lines = ['uscc,name'];
    const badLines: number[] = [];
    for (let size = 0; size < 5 * 1024 * 1024; size += Buffer.byteLength(row) + 1) {
      if (lines.length % 10_000 === 5) {
        badLines.push(lines.length + 1);
        lines.push(`91350100M000100Y4Z,坏行${lines.length}`);
      } else {
        lines.push(row);
      }
    }
    const keptLine = lines.lastIndexOf(row) + 1;
    return { text: `${lines.join('\n')}\n`, rows: lines.length - 1, badLines, keptLine };
  }

  it('a 5 MB file of one repeated row prints at most 21 lines on stderr; --report has every message; exit 1 for the rejected rows', async () => {
    const { text, rows, badLines, keptLine } = repeatedRowFile();
    expect(rows).toBeGreaterThan(75_000);
    const file = join(cli.dir, 'repeated.csv');
    writeFileSync(file, text);
    const reportPath = join(cli.dir, 'report.txt');
    const result = await cli.run(['customers', 'import', file, '--report', reportPath]);
    expect(result.code).toBe(1);
    const duplicates = rows - badLines.length - 1;
    expect(result.stdout).toMatch(new RegExp(`imported 1 .*rejected ${badLines.length}; duplicates ${duplicates}`));
    const stderr = result.stderr.trimEnd().split('\n');
    expect(stderr.length).toBeLessThanOrEqual(21);
    expect(stderr[0]).toBe(`${file}: line 2: duplicate of ${validUscc(8)}, line ${keptLine} kept instead`);
    // The one summary line: the rest counted per kind, most frequent first, and where they all are.
    const rest = badLines.length + duplicates - 20;
    const rejectedNotShown = badLines.filter((line) => line > 21).length;
    expect(stderr.at(-1)).toBe(
      `${file}: ${rest} more row messages not shown (${rest - rejectedNotShown} duplicate, ${rejectedNotShown} rejected); all ${badLines.length + duplicates} are in ${reportPath}`,
    );
    const report = readFileSync(reportPath, 'utf8').trimEnd().split('\n');
    expect(report).toHaveLength(badLines.length + duplicates);
    expect(report.slice(0, 20)).toEqual(stderr.slice(0, 20));
    expect(report.filter((line) => line.includes(': rejected line ')).map((line) => Number(/rejected line (\d+)/.exec(line)?.[1]))).toEqual(badLines);
    expect(statSync(reportPath).mode & 0o777).toBe(0o600);
  }, 60_000);

  it('--json lists every row message in its document; stderr still shows only the summary', async () => {
    const { text, rows, badLines } = repeatedRowFile();
    writeFileSync(join(cli.dir, 'repeated.csv'), text);
    const json = await cli.run(['customers', 'import', join(cli.dir, 'repeated.csv'), '--json']);
    expect(json.code).toBe(1);
    const summary = JSON.parse(json.stdout) as { rejected: Array<{ line: number }>; duplicates: unknown[] };
    expect(summary.rejected.map((r) => r.line)).toEqual(badLines);
    expect(summary.duplicates).toHaveLength(rows - badLines.length - 1);
    expect(json.stderr.trimEnd().split('\n').length).toBeLessThanOrEqual(21);
  }, 60_000);

  it('a few messages are all printed, with no summary line; --report still writes them', async () => {
    const reportPath = join(cli.dir, 'few.txt');
    const file = join(cli.dir, 'few.csv');
    writeFileSync(file, `uscc,name\n${validUscc(9)},A\n${validUscc(9)},B\nbad,C\n`);
    const result = await cli.run(['customers', 'import', file, '--report', reportPath]);
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      `${file}: line 2: duplicate of ${validUscc(9)}, line 3 kept instead`,
      expect.stringMatching(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: rejected line 4: uscc "bad"`)),
    ]);
    expect(readFileSync(reportPath, 'utf8').trimEnd().split('\n')).toEqual(result.stderr.trimEnd().split('\n'));
  });

  it.each([
    ['a directory that does not exist', (dir: string) => join(dir, 'missing', 'report.txt'), /--report .*missing.*cannot write \(ENOENT\)/],
    ['the file being imported', (dir: string) => join(dir, 'input.csv'), /--report .*input\.csv.*is the file being imported/],
  ])('--report to %s: exit 2 with one line, nothing imported, the input intact', async (_case, reportOf, fault) => {
    const file = join(cli.dir, 'input.csv');
    const input = `uscc,name\n${validUscc(10)},新公司\n`;
    writeFileSync(file, input);
    const result = await cli.run(['customers', 'import', file, '--report', reportOf(cli.dir)]);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toMatch(fault);
    expect(readFileSync(file, 'utf8')).toBe(input);
    expect((await listed()).some((c) => c.uscc === validUscc(10))).toBe(false);
  });
});

describe('encodings', () => {
  it('a GBK file imports with its Chinese names intact', async () => {
    const result = await importBytes(iconv.encode(`uscc,name\n${validUscc(3)},贵州茅台酒股份有限公司\n${validUscc(4)},中国石油化工股份有限公司\n`, 'gbk'));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/encoding gbk/);
    const names = new Map((await listed()).map((c) => [c.uscc, c.name]));
    expect(names.get(validUscc(3))).toBe('贵州茅台酒股份有限公司');
    expect(names.get(validUscc(4))).toBe('中国石油化工股份有限公司');
  });

  it('a UTF-8 file with one GBK line: that line is rejected by number (exit 1), the UTF-8 rows are imported intact', async () => {
    const bytes = Buffer.concat([
      Buffer.from(`uscc,name\n${validUscc(3)},贵州茅台酒股份有限公司\n${validUscc(4)},中国石油化工股份有限公司\n`),
      iconv.encode(`${validUscc(5)},中国平安保险股份有限公司\n`, 'gbk'),
      Buffer.from(`${validUscc(6)},万科企业股份有限公司\n`),
    ]);
    const result = await importBytes(bytes);
    expect(result.code).toBe(1);
    const rejected = result.stderr.split('\n').filter((l) => l.includes('rejected'));
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatch(/rejected line 4: .*GBK.*mixed encodings/);
    const names = new Map((await listed()).map((c) => [c.uscc, c.name]));
    expect(names.get(validUscc(3))).toBe('贵州茅台酒股份有限公司');
    expect(names.get(validUscc(4))).toBe('中国石油化工股份有限公司');
    expect(names.get(validUscc(6))).toBe('万科企业股份有限公司');
    expect(names.has(validUscc(5))).toBe(false);
    await expectSeedIntact();
  });

  it('a GBK file with one UTF-8 line: that line is rejected, not imported as mojibake', async () => {
    const bytes = Buffer.concat([
      iconv.encode(`uscc,name\n${validUscc(3)},贵州茅台酒股份有限公司\n${validUscc(4)},中国石油化工股份有限公司\n`, 'gbk'),
      Buffer.from(`${validUscc(5)},中国平安保险股份有限公司\n`),
    ]);
    const result = await importBytes(bytes);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/rejected line 4: .*UTF-8.*mixed encodings/);
    const names = new Map((await listed()).map((c) => [c.uscc, c.name]));
    expect(names.get(validUscc(3))).toBe('贵州茅台酒股份有限公司');
    expect(names.has(validUscc(5))).toBe(false);
  });
});

describe('formula injection and hostile names', () => {
  const FORMULAS = [
    "=cmd|' /C calc'!A0",
    '+SUM(1+1)*cmd|\' /C calc\'!A0',
    '-1+1',
    '@SUM(1+1)',
  ];

  it('formula-looking names import as data; customers list --csv neutralises them with a leading quote (events --csv: test/e2e/cli.test.ts)', async () => {
    const rows = FORMULAS.map((name, i) => `${validUscc(20 + i)},"${name.replaceAll('"', '""')}",tag${i}`);
    const result = await importBytes(`uscc,name,tags\n${rows.join('\n')}\n`);
    expect(result.code, result.stderr).toBe(0);

    const csv = await cli.run(['customers', 'list', '--csv']);
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout.startsWith('\uFEFF')).toBe(true);
    for (const [i, name] of FORMULAS.entries()) {
      const line = csv.stdout.split('\r\n').find((l) => l.startsWith(validUscc(20 + i)));
      expect(line, name).toBeDefined();
      // The name cell (second) starts with ' — quoted or not — so a spreadsheet shows it as text.
      const cell = line!.slice(line!.indexOf(',') + 1);
      expect(cell.replace(/^"/, '').startsWith(`'${name[0]!}`), line).toBe(true);
    }
    // No cell of the export starts with a formula character unneutralised.
    for (const line of csv.stdout.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean)) {
      for (const cell of line.split(',')) expect(cell.replace(/^"/, ''), line).not.toMatch(/^[=+\-@\t\r]/);
    }
    await expectSeedIntact();
  });

  it('text output of customers list prints formula names verbatim (a terminal runs no formulas), one line per customer', async () => {
    expect((await cli.run(['customers', 'add', '--uscc', validUscc(30), '--name', FORMULAS[0]!])).code).toBe(0);
    const text = await cli.run(['customers', 'list']);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(GOOD.length + 2); // + the formula customer + the "n customer(s)" line
    expect(lines.find((l) => l.startsWith(validUscc(30)))).toContain(FORMULAS[0]);
  });

  it('tab- and CR-leading names: normalised (leading white space trimmed) so no cell starts with tab or CR', async () => {
    const result = await importBytes(`uscc,name\n${validUscc(40)},"\tTabbed Co"\n${validUscc(41)},"\rCR Co"\n`);
    expect(result.code, result.stderr).toBe(0);
    const csv = await cli.run(['customers', 'list', '--csv']);
    expect(csv.stdout).toContain(`${validUscc(40)},Tabbed Co,`);
    expect(csv.stdout).toContain(`${validUscc(41)},CR Co,`);
  });

  it('names with control characters are rejected by line; a bidi override is accepted but shown escaped in text output', async () => {
    const esc = '\u001b[31mRED\u001b[0m';
    const result = await importBytes(`uscc,name\n${validUscc(50)},"A${esc}"\n${validUscc(51)},"B\u0007bell"\n${validUscc(52)},"C\u202Egnp.exe"\n`);
    expect(result.code).toBe(1);
    const rejected = result.stderr.split('\n').filter((l) => l.includes('rejected'));
    expect(rejected.map((l) => /rejected line (\d+)/.exec(l)?.[1])).toEqual(['2', '3']);
    for (const line of rejected) {
      expect(line).toMatch(/unprintable/);
      expect(line).not.toContain('\u001b'); // quoted with escapes, not raw
    }
    const text = await cli.run(['customers', 'list']);
    expect(text.stdout).not.toContain('\u202E');
    expect(text.stdout).toContain('C\\u202Egnp.exe');
    await expectSeedIntact();
  });
});
