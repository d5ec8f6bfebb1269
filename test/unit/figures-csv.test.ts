/** The trading-figures CSV: encodings, header, per-row errors naming line, column and value, duplicates. */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseFiguresCsv } from '../../src/csv/figures-csv.js';
import { AppError } from '../../src/errors.js';

const A = '91440300708461136T';
const B = '914403001922038216';
const parse = (text: string, options = {}): ReturnType<typeof parseFiguresCsv> => parseFiguresCsv(Buffer.from(text), 'figures.csv', options);
const figures = (asOf: string, onTimePaymentRate: number, fulfilmentRate: number, overdueAmount: number | null = null, creditLimit: number | null = null) => ({
  asOf,
  onTimePaymentRate,
  fulfilmentRate,
  overdueAmount,
  creditLimit,
});

function refusal(bytes: Buffer): string {
  try {
    parseFiguresCsv(bytes, 'figures.csv');
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('INPUT_UNREADABLE');
    return (error as AppError).message;
  }
  throw new Error('the file was accepted');
}

const BASIC = `uscc,asOf,onTimePaymentRate,fulfilmentRate,overdueAmount,creditLimit\n${A},2026-10-31,98.5,100,0,5000000\n${B},2026-10-31,91%,96.5 %,"12,000.50",\n`;
const BASIC_ROWS = [
  { line: 2, uscc: A, figures: figures('2026-10-31', 98.5, 100, 0, 5_000_000) },
  { line: 3, uscc: B, figures: figures('2026-10-31', 91, 96.5, 12_000.5, null) },
];

describe('parseFiguresCsv: encodings', () => {
  it.each([
    { name: 'UTF-8', bytes: Buffer.from(BASIC), encoding: 'utf-8' },
    { name: 'UTF-8 with BOM', bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(BASIC)]), encoding: 'utf-8' },
    { name: 'GBK', bytes: iconv.encode(BASIC.replace('\n', ',备注\n').replace('5000000\n', '5000000,华东客户\n'), 'gbk'), encoding: 'gbk' },
  ])('reads $name', ({ bytes, encoding }) => {
    expect(parseFiguresCsv(bytes, 'figures.csv')).toEqual({ encoding, rows: BASIC_ROWS, rejected: [], duplicates: [], warnings: [] });
  });

  it('rejects a GBK line pasted into a UTF-8 file instead of importing mojibake', () => {
    const bytes = Buffer.concat([
      Buffer.from(`uscc,asOf,onTimePaymentRate,fulfilmentRate,note\n${A},2026-10-31,99,100,华东\n${A},2026-09-30,99,100,华南\n`),
      iconv.encode(`${B},2026-10-31,99,100,华北\n`, 'gbk'),
    ]);
    const parsed = parseFiguresCsv(bytes, 'mixed.csv');
    expect(parsed.rows.map((row) => row.line)).toEqual([2, 3]);
    expect(parsed.rejected).toEqual([{ line: 4, reason: 'line 4: the line is GBK text in a UTF-8 file (mixed encodings: save the whole file in one encoding)' }]);
  });
});

describe('parseFiguresCsv: header', () => {
  it('takes the columns in any order and case, optional columns left out, unknown ones ignored', () => {
    const parsed = parse(`FulfilmentRate,Note,ASOF,USCC,ontimepaymentrate\n100,x,2026-10-31,${A},99\n`);
    expect(parsed.rows).toEqual([{ line: 2, uscc: A, figures: figures('2026-10-31', 99, 100) }]);
  });

  it.each([
    { name: 'an empty file', text: '', says: 'figures.csv: the file is empty' },
    { name: 'only blank lines', text: '\n\n,,\n', says: 'figures.csv: the file is empty' },
    {
      name: 'a missing required column',
      text: `uscc,asOf,onTimePaymentRate\n${A},2026-10-31,99\n`,
      says: 'figures.csv: line 1: no header row naming the columns uscc, asOf, onTimePaymentRate, fulfilmentRate (missing fulfilmentRate; found "uscc,asOf,onTimePaymentRate")',
    },
    {
      name: 'the American spelling',
      text: 'uscc,asOf,onTimePaymentRate,fulfillmentRate\n',
      says: 'missing fulfilmentRate; "fulfillmentrate" should read fulfilmentRate',
    },
    { name: 'a column twice', text: 'uscc,asOf,asof,onTimePaymentRate,fulfilmentRate\n', says: 'figures.csv: line 1: the header names column asOf twice' },
    { name: 'a customer file', text: `uscc,name\n${A},平安银行\n`, says: 'missing asOf, onTimePaymentRate, fulfilmentRate' },
    { name: 'an unclosed quote', text: `uscc,asOf,onTimePaymentRate,fulfilmentRate\n${A},"2026-10-31,99,100\n`, says: 'figures.csv: line 2: a quoted field is never closed' },
  ])('refuses $name whole', ({ text, says }) => {
    expect(refusal(Buffer.from(text))).toContain(says);
  });

  it('refuses an Excel workbook whole', () => {
    expect(refusal(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]))).toContain('Excel workbook');
  });
});

describe('parseFiguresCsv: values', () => {
  const HEADER = 'uscc,asOf,onTimePaymentRate,fulfilmentRate,overdueAmount,creditLimit\n';
  const one = (row: string, options = {}) => parse(`${HEADER}${row}\n`, options);

  it.each([
    { row: `${A},2026/10/31,98.5%,100,¥1200,`, want: figures('2026-10-31', 98.5, 100, 1200, null) },
    { row: `${A},2026年10月31日,９８．５％,100,,`, want: figures('2026-10-31', 98.5, 100, null, null) },
    { row: `${A},20261031,0,0,0,0`, want: figures('2026-10-31', 0, 0, 0, 0) },
    { row: `${A},2026-10-31 00:00:00,100,100.0,"1,234,567.891",`, want: figures('2026-10-31', 100, 100, 1_234_567.89, null) },
    { row: ` ９１４４０３００７０８４６１１３６ｔ ,2026-10-31,99,100,,`, want: figures('2026-10-31', 99, 100) },
  ])('reads $row', ({ row, want }) => {
    const parsed = one(row);
    expect(parsed.rejected).toEqual([]);
    expect(parsed.rows[0]?.figures).toEqual(want);
    expect(parsed.rows[0]?.uscc).toBe(A);
  });

  it.each([
    { row: `,2026-10-31,99,100,,`, reason: 'line 2: uscc is required' },
    { row: `91350100M000100Y4Z,2026-10-31,99,100,,`, reason: `line 2: uscc "91350100M000100Y4Z": check digit 'Z' is wrong, expected '3'` },
    { row: `${A},,99,100,,`, reason: 'line 2: asOf is required' },
    { row: `${A},31/10/2026,99,100,,`, reason: 'line 2: asOf "31/10/2026": expected a date YYYY-MM-DD' },
    { row: `${A},2026-02-30,99,100,,`, reason: 'line 2: asOf "2026-02-30": expected a date YYYY-MM-DD' },
    { row: `${A},1761868800,99,100,,`, reason: 'line 2: asOf "1761868800": expected a date YYYY-MM-DD' },
    { row: `${A},2026-10-31,,100,,`, reason: 'line 2: onTimePaymentRate is required' },
    { row: `${A},2026-10-31,101,100,,`, reason: 'line 2: onTimePaymentRate "101": must be from 0 to 100 percent' },
    { row: `${A},2026-10-31,99,-1,,`, reason: 'line 2: fulfilmentRate "-1": expected a percentage such as 98.5 or 98.5%' },
    { row: `${A},2026-10-31,99,ninety,,`, reason: 'line 2: fulfilmentRate "ninety": expected a percentage such as 98.5 or 98.5%' },
    { row: `${A},2026-10-31,99,100,-500,`, reason: 'line 2: overdueAmount "-500": must be 0 or more' },
    { row: `${A},2026-10-31,99,100,12,000.50,5000000`, reason: 'line 2: 7 fields but the header has 6' },
    { row: `${A},2026-10-31,99,100,,lots`, reason: 'line 2: creditLimit "lots": expected an amount in CNY such as 12000 or 12,000.50' },
    { row: `${A},2026-10-31,99,100,"1,23,4",`, reason: 'line 2: overdueAmount "1,23,4": expected an amount in CNY' },
    {
      row: `bad,x,y,z,,`,
      reason: 'line 2: uscc "bad": must be 18 characters, got 3; asOf "x": expected a date YYYY-MM-DD; onTimePaymentRate "y": expected a percentage such as 98.5 or 98.5%; fulfilmentRate "z": expected a percentage such as 98.5 or 98.5%',
    },
  ])('rejects $row', ({ row, reason }) => {
    const parsed = one(row);
    expect(parsed.rows).toEqual([]);
    expect(parsed.rejected).toHaveLength(1);
    expect(parsed.rejected[0]?.reason).toContain(reason);
  });

  it('refuses an asOf after today when told what today is', () => {
    expect(one(`${A},2026-11-28,99,100,,`, { today: '2026-11-27' }).rejected[0]?.reason).toBe('line 2: asOf "2026-11-28": is after today (2026-11-27)');
    expect(one(`${A},2026-11-27,99,100,,`, { today: '2026-11-27' }).rows).toHaveLength(1);
  });

  it('accepts a check-digit mismatch only when asked, with a warning', () => {
    const row = `91350100M000100Y4Z,2026-10-31,99,100,,`;
    const parsed = one(row, { acceptCheckDigitMismatch: true });
    expect(parsed.rows.map((r) => r.uscc)).toEqual(['91350100M000100Y4Z']);
    expect(parsed.warnings).toEqual([
      { line: 2, uscc: '91350100M000100Y4Z', kind: 'check_digit_mismatch', reason: expect.stringContaining('accepted: check-digit mismatches are allowed') },
    ]);
  });

  it('warns when every rate looks like a fraction (0.985 for 98.5 %)', () => {
    const parsed = parse(`${HEADER}${A},2026-10-31,0.985,1,,\n${B},2026-10-31,0.9,0.95,,\n`);
    expect(parsed.rows).toHaveLength(2);
    expect(parsed.warnings).toEqual([{ line: 1, uscc: null, kind: 'rates_look_like_fractions', reason: expect.stringContaining('every rate is at most 1') }]);
    expect(parse(`${HEADER}${A},2026-10-31,0.985,1,,\n${B},2026-10-31,90,95,,\n`).warnings).toEqual([]);
  });
});

describe('parseFiguresCsv: repeats and history', () => {
  it('keeps several asOf dates of one customer (history), and the last row of a repeated code and asOf', () => {
    const parsed = parse(
      [
        'uscc,asOf,onTimePaymentRate,fulfilmentRate',
        `${A},2026-09-30,90,95`,
        `${A},2026-10-31,91,96`,
        '',
        `${A},2026/09/30,92,97`,
        `${B},2026-10-31,99,100`,
        `${A},2026-09-30,93,98`,
        '',
      ].join('\r\n'),
    );
    expect(parsed.rows).toEqual([
      { line: 3, uscc: A, figures: figures('2026-10-31', 91, 96) },
      { line: 6, uscc: B, figures: figures('2026-10-31', 99, 100) },
      { line: 7, uscc: A, figures: figures('2026-09-30', 93, 98) },
    ]);
    expect(parsed.duplicates).toEqual([
      { line: 2, uscc: A, asOf: '2026-09-30', keptLine: 7 },
      { line: 5, uscc: A, asOf: '2026-09-30', keptLine: 7 },
    ]);
  });

  it('counts physical lines through quoted line breaks and blank lines', () => {
    const parsed = parse(`uscc,asOf,onTimePaymentRate,fulfilmentRate,note\n\n${A},2026-10-31,99,100,"a\nb"\n${B},x,99,100,\n`);
    expect(parsed.rows.map((row) => row.line)).toEqual([3]);
    expect(parsed.rejected.map((row) => row.line)).toEqual([5]);
  });
});
