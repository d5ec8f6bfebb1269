import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseCustomerCsv } from '../../src/csv/customer-csv.js';
import { AppError } from '../../src/errors.js';
import { validUscc } from '../helpers/valid-uscc.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../fixtures/csv/${name}`, import.meta.url));
const parse = (text: string, options = {}): ReturnType<typeof parseCustomerCsv> =>
  parseCustomerCsv(Buffer.from(text), 'test.csv', options);

const BASIC_ROWS = [
  { line: 2, uscc: '91440300708461136T', name: '平安银行股份有限公司', tags: ['bank', 'shenzhen'] },
  { line: 3, uscc: '914403001922038216', name: '招商银行股份有限公司', tags: ['bank'] },
  { line: 4, uscc: '9152000071430580XT', name: '贵州茅台酒股份有限公司', tags: [] },
];

describe('parseCustomerCsv: encodings', () => {
  it.each([
    { file: 'utf8.csv', encoding: 'utf-8' },
    { file: 'utf8-bom.csv', encoding: 'utf-8' },
    { file: 'gbk.csv', encoding: 'gbk' },
  ])('reads $file as $encoding', ({ file, encoding }) => {
    const parsed = parseCustomerCsv(fixture(file), file);
    expect(parsed).toEqual({ encoding, rows: BASIC_ROWS, rejected: [], duplicates: [], warnings: [] });
  });

  it('reads GBK produced the way Excel on Chinese Windows writes it', () => {
    const bytes = iconv.encode('USCC,Name\r\n91440300708461136T,深圳市腾讯计算机系统有限公司（测试）\r\n', 'gbk');
    const parsed = parseCustomerCsv(bytes, 'excel.csv');
    expect(parsed.encoding).toBe('gbk');
    // NFKC turns the full-width brackets into ASCII ones, as everywhere else in the system.
    expect(parsed.rows).toEqual([{ line: 2, uscc: '91440300708461136T', name: '深圳市腾讯计算机系统有限公司(测试)', tags: null }]);
  });
});

describe('parseCustomerCsv: structure', () => {
  it('handles quoted fields with commas, CRLF newlines and doubled quotes, keeping physical line numbers', () => {
    const parsed = parseCustomerCsv(fixture('quoted.csv'), 'quoted.csv');
    expect(parsed.rows).toEqual([
      { line: 2, uscc: '91440300708461136T', name: 'Ping An, Bank', tags: ['bank'] },
      { line: 3, uscc: '914403001922038216', name: '招商银行 股份有限公司', tags: ['a', 'b'] },
      { line: 5, uscc: '9152000071430580XT', name: 'Say "Maotai" Co', tags: [] },
    ]);
  });

  it('accepts the columns in any order and case, ignoring unknown ones', () => {
    expect(parseCustomerCsv(fixture('any-order.csv'), 'any-order.csv').rows).toEqual([
      { line: 2, uscc: '91440300708461136T', name: '平安银行', tags: ['bank'] },
    ]);
  });

  it('gives null tags when there is no tags column, so an import keeps existing tags', () => {
    expect(parse('name,uscc\nX,91440300708461136T\n').rows[0]?.tags).toBeNull();
  });

  it('counts lines ending in LF, CRLF or a lone CR alike, and skips blank lines', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = ['uscc,name', '', '91440300708461136T,"a', 'b"', '', '', 'bad,c', ''].join(eol);
      const parsed = parse(text);
      expect(parsed.rows.map((row) => row.line)).toEqual([3]);
      expect(parsed.rejected.map((row) => row.line)).toEqual([7]);
    }
  });

  it('normalises codes and names: full-width, lower case, runs of white space', () => {
    expect(parse('uscc,name,tags\n　９１４４０３００７０８４６１１３６ｔ ,  平安   银行\t有限公司 , Ｂａｎｋ ；ｘ;;x\n').rows).toEqual([
      { line: 2, uscc: '91440300708461136T', name: '平安 银行 有限公司', tags: ['Bank', 'x'] },
    ]);
  });
});

describe('parseCustomerCsv: bad rows', () => {
  it('rejects each bad row with its physical line number and a reason naming field and value', () => {
    const parsed = parseCustomerCsv(fixture('bad-rows.csv'), 'bad-rows.csv');
    expect(parsed.rows.map((row) => [row.line, row.uscc])).toEqual([[2, '91440300708461136T']]);
    expect(parsed.rejected).toEqual([
      { line: 4, reason: `line 4: uscc "91350100M000100Y4Z": check digit 'Z' is wrong, expected '3'` },
      { line: 5, reason: 'line 5: uscc "9144030070846113": must be 18 characters, got 16' },
      { line: 7, reason: 'line 7: name is required' },
      {
        line: 8,
        reason:
          'line 8: tag "bad=tag" has a character that is not allowed (letters, digits, spaces and _-.:/&+#()@· only)',
      },
      {
        line: 10,
        reason: `line 10: uscc "91440300I08461136T": character 9 'I' is invalid: letter I is never used`,
      },
      { line: 12, reason: 'line 12: 4 fields but the header has 3 (quote a name that contains a comma)' },
      { line: 13, reason: 'line 13: uscc is required' },
    ]);
  });

  it('reports every problem of a row in one line', () => {
    expect(parse('uscc,name\n123,\n').rejected).toEqual([
      { line: 2, reason: 'line 2: uscc "123": must be 18 characters, got 3; name is required' },
    ]);
  });

  it('rejects over-long names and names with control characters', () => {
    const parsed = parse(`uscc,name\n${validUscc(1)},${'名'.repeat(201)}\n${validUscc(2)},a\u0001b\n${validUscc(3)},${'名'.repeat(200)}\n`);
    expect(parsed.rejected).toEqual([
      { line: 2, reason: 'line 2: name is 201 characters long, at most 200 are allowed' },
      { line: 3, reason: 'line 3: name "a\\u0001b" contains an unprintable character' },
    ]);
    expect(parsed.rows.map((row) => row.line)).toEqual([4]);
  });

  it('accepts a check-digit mismatch only when asked, with a warning', () => {
    const text = 'uscc,name\n91350100M000100Y4Z,Pilot Code Co\n9144030070846113,Short\n';
    const parsed = parse(text, { acceptCheckDigitMismatch: true });
    expect(parsed.rows).toEqual([{ line: 2, uscc: '91350100M000100Y4Z', name: 'Pilot Code Co', tags: null }]);
    expect(parsed.warnings).toEqual([
      {
        line: 2,
        uscc: '91350100M000100Y4Z',
        kind: 'check_digit_mismatch',
        reason: expect.stringMatching(/^line 2: uscc "91350100M000100Y4Z": check digit 'Z' is wrong, expected '3'/),
      },
    ]);
    // Only the check digit: a wrong length is still rejected.
    expect(parsed.rejected.map((row) => row.line)).toEqual([3]);
  });
});

describe('parseCustomerCsv: duplicates', () => {
  it('keeps the last row of a repeated code and reports the earlier ones', () => {
    const parsed = parseCustomerCsv(fixture('duplicates.csv'), 'duplicates.csv');
    expect(parsed.rows).toEqual([
      { line: 3, uscc: '914403001922038216', name: 'Other', tags: null },
      { line: 5, uscc: '91440300708461136T', name: 'Third', tags: null },
    ]);
    expect(parsed.duplicates).toEqual([
      { line: 2, uscc: '91440300708461136T', keptLine: 5 },
      { line: 4, uscc: '91440300708461136T', keptLine: 5 },
    ]);
    expect(parsed.rejected).toEqual([]);
  });
});

describe('parseCustomerCsv: files that are not a customer CSV', () => {
  const refused = (bytes: Buffer, fileName = 'x.csv'): AppError => {
    try {
      parseCustomerCsv(bytes, fileName);
    } catch (error) {
      if (error instanceof AppError) return error;
      throw error;
    }
    throw new Error('expected the file to be refused');
  };

  it.each([
    { name: 'an empty file', bytes: fixture('empty.csv'), message: 'x.csv: the file is empty' },
    { name: 'only a BOM and blank lines', bytes: Buffer.from('\uFEFF\r\n\n  \n'), message: 'x.csv: the file is empty' },
    { name: 'only commas', bytes: Buffer.from(',,\n,,\n'), message: 'x.csv: the file is empty' },
    {
      name: 'no header row',
      bytes: fixture('no-header.csv'),
      message: 'x.csv: line 1: no header row naming the columns uscc and name (found "91440300708461136T,平安银行")',
    },
    {
      name: 'a header without name',
      bytes: Buffer.from('uscc,company\n91440300708461136T,x\n'),
      message: 'x.csv: line 1: no header row naming the columns uscc and name (found "uscc,company")',
    },
    {
      name: 'a repeated column',
      bytes: Buffer.from('uscc,name,USCC\n'),
      message: 'x.csv: line 1: the header names column uscc twice',
    },
    {
      name: 'binary content',
      bytes: Buffer.from([0x75, 0x73, 0x63, 0x63, 0x00, 0x01, 0x02, 0xff, 0x0a]),
      message: 'x.csv: the file is binary (it contains NUL bytes), not a CSV text file',
    },
    {
      name: 'an xlsx workbook',
      bytes: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]),
      message: 'x.csv: the file is an Excel workbook or another zip archive (save it as CSV), not a CSV text file',
    },
    {
      name: 'UTF-16',
      bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('uscc,name\n', 'utf16le')]),
      message: 'x.csv: the file is UTF-16 text (save it as CSV UTF-8), not a CSV text file',
    },
    {
      name: 'an unclosed quote',
      bytes: Buffer.from('uscc,name\n91440300708461136T,ok\n\n914403001922038216,"never closed\nmore\n'),
      message: 'x.csv: line 4: a quoted field is never closed',
    },
  ])('refuses $name with INPUT_UNREADABLE', ({ bytes, message }) => {
    const error = refused(bytes);
    expect(error.code).toBe('INPUT_UNREADABLE');
    expect(error.message).toBe(message);
  });

  it('accepts a file with a header and no rows', () => {
    expect(parse('uscc,name\n').rows).toEqual([]);
  });
});

describe('parseCustomerCsv: size', () => {
  it('parses 100,000 rows of long names (a ~60 MB file) quickly', () => {
    const filler = '深圳市南山区'.repeat(30); // 180 characters, 540 bytes: names near the 200 limit
    const lines = ['uscc,name,tags'];
    for (let i = 0; i < 100_000; i++) lines.push(`${validUscc(i)},"${filler}客户 ${i} 有限公司",t${i % 10};all`);
    const bytes = Buffer.from(`${lines.join('\r\n')}\r\n`);
    lines.length = 0;
    const started = performance.now();
    const parsed = parseCustomerCsv(bytes, 'big.csv');
    const ms = performance.now() - started;
    console.log(`parseCustomerCsv: 100,000 rows, ${(bytes.length / 1e6).toFixed(1)} MB in ${ms.toFixed(0)} ms`);
    expect(bytes.length).toBeGreaterThan(50e6);
    expect(parsed.rows).toHaveLength(100_000);
    expect(parsed.rows[99_999]).toEqual({
      line: 100_001,
      uscc: validUscc(99_999),
      name: `${filler}客户 99999 有限公司`,
      tags: ['t9', 'all'],
    });
    expect(parsed.rejected).toEqual([]);
  });
});
