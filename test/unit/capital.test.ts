import { describe, expect, it } from 'vitest';
import { formatMoney, parseRegisteredCapital } from '../../src/domain/capital.js';

describe('parseRegisteredCapital', () => {
  it.each([
    ['1000万人民币', 10_000_000, 'CNY'],
    ['1000万元整', 10_000_000, 'CNY'],
    ['1000万元人民币（实缴）', 10_000_000, 'CNY'],
    ['100万人民币（认缴）', 1_000_000, 'CNY'],
    ['50万美元(折合人民币)', 500_000, 'USD'],
    ['1000万元/人民币', 10_000_000, 'CNY'],
    ['1000.000000万元人民币', 10_000_000, 'CNY'],
    ['1000万元', 10_000_000, 'CNY'],
    ['1,000万元', 10_000_000, 'CNY'],
    ['１０００万元', 10_000_000, 'CNY'],
    ['1000 万元 人民币', 10_000_000, 'CNY'],
    ['人民币1000万元', 10_000_000, 'CNY'],
    ['1000万人民币元', 10_000_000, 'CNY'],
    ['1000(万元)', 10_000_000, 'CNY'],
    ['1000万', 10_000_000, 'CNY'],
    ['480264.851100万', 4_802_648_511, 'CNY'],
    ['0.123456万元', 1234.56, 'CNY'],
    ['0.0000005万元', 0.01, 'CNY'],
    ['1.5亿元', 150_000_000, 'CNY'],
    ['2亿人民币', 200_000_000, 'CNY'],
    ['5000元', 5000, 'CNY'],
    ['500万美元', 5_000_000, 'USD'],
    ['500万美金', 5_000_000, 'USD'],
    ['100万港元', 1_000_000, 'HKD'],
    ['100万港币', 1_000_000, 'HKD'],
    ['100万欧元', 1_000_000, 'EUR'],
    ['100万日元', 1_000_000, 'JPY'],
    ['100万英镑', 1_000_000, 'GBP'],
    ['100万 usd', 1_000_000, 'USD'],
  ])('%j → %d %s', (text, amount, currency) => {
    expect(parseRegisteredCapital(text)).toEqual({ amount, currency });
  });

  it.each([null, '', '-', '—', '无', '3.00 元/万元', '人民币500万美元', '五百万元', 'unknown', '1亿2000万'])(
    '%j → null',
    (text) => {
      expect(parseRegisteredCapital(text)).toBeNull();
    },
  );

  it('has no float noise: the decimal string is scaled exactly', () => {
    // 0.07 * 10000 === 700.0000000000001 in floating point
    expect(parseRegisteredCapital('0.07万元')).toEqual({ amount: 700, currency: 'CNY' });
    expect(parseRegisteredCapital('1.1万元')).toEqual({ amount: 11_000, currency: 'CNY' });
  });
});

describe('formatMoney', () => {
  it.each([
    [{ amount: 10_000_000, currency: 'CNY' }, '10000000 CNY'],
    [{ amount: 1234.5, currency: 'USD' }, '1234.50 USD'],
  ])('%j → %s', (money, text) => {
    expect(formatMoney(money)).toBe(text);
  });
});
