import { describe, expect, it } from 'vitest';
import { capText, capTextFields, MAX_FIELD_CHARS, normaliseOptionalText, normaliseText } from '../../src/domain/text.js';

describe('normaliseText', () => {
  it.each([
    { name: 'full-width letters and digits', input: 'ＡＢＣ１２３', output: 'ABC123' },
    { name: 'full-width punctuation', input: '存续（在营、开业、在册）', output: '存续(在营、开业、在册)' },
    { name: 'full-width comma', input: '吊销，未注销', output: '吊销,未注销' },
    { name: 'ideographic space', input: '深圳市\u3000南山区', output: '深圳市 南山区' },
    { name: 'tabs and newlines', input: '\t计算机\r\n软件\n\n开发 ', output: '计算机 软件 开发' },
    { name: 'runs of spaces', input: 'a    b', output: 'a b' },
    { name: 'no-break space', input: 'a\u00a0b', output: 'a b' },
    { name: 'zero-width characters', input: '腾\u200b讯\ufeff', output: '腾讯' },
    { name: 'already normal', input: '马化腾', output: '马化腾' },
    { name: 'empty', input: '', output: '' },
  ])('$name', ({ input, output }) => {
    expect(normaliseText(input)).toBe(output);
  });
});

describe('normaliseOptionalText', () => {
  it.each([null, undefined, '', '   ', '-', '－', '--', '—', '——', '无', '暂无', 'null', 'NULL', ' \u3000- '])(
    '%j is absent',
    (input) => {
      expect(normaliseOptionalText(input)).toBeNull();
    },
  );

  it.each([
    ['无锡市', '无锡市'],
    ['-1', '-1'],
    [' 马化腾 ', '马化腾'],
  ])('%j is kept as %j', (input, output) => {
    expect(normaliseOptionalText(input)).toBe(output);
  });
});

describe('capText', () => {
  it('leaves a text at or under the cap as it is', () => {
    expect(capText('经营范围'.repeat(2), 8)).toBe('经营范围经营范围');
    expect(capText('a'.repeat(MAX_FIELD_CHARS))).toBe('a'.repeat(MAX_FIELD_CHARS));
  });

  it('cuts a long text to at most the cap, marked with the full length', () => {
    const capped = capText('违法'.repeat(1_500_000));
    expect(Array.from(capped).length).toBeLessThanOrEqual(MAX_FIELD_CHARS);
    expect(capped).toMatch(/^(违法)+违? \[\.\.\. truncated, 3000000 characters in all\]$/u);
    expect(capped.length).toBeGreaterThan(MAX_FIELD_CHARS - 100);
  });

  it('is stable and idempotent: the same long text always gives the same value, and a capped value stays', () => {
    const long = `${'理由'.repeat(10_000)}尾`;
    expect(capText(long)).toBe(capText(`${'理由'.repeat(10_000)}尾`));
    expect(capText(capText(long))).toBe(capText(long));
    expect(normaliseText(capText(long))).toBe(capText(long));
  });

  it('counts and cuts by code points, never between the halves of a surrogate pair', () => {
    const capped = capText('𠀀'.repeat(100), 60);
    expect(capped).toMatch(/^(𠀀)+ \[\.\.\. truncated, 100 characters in all\]$/u);
    expect(capText('𠀀'.repeat(50), 60)).toBe('𠀀'.repeat(50)); // 100 UTF-16 units but 50 characters
  });
});

describe('capTextFields', () => {
  it('caps every string of an object tree and copies only what it changed', () => {
    const small = { a: 'x', nested: { n: 1, list: ['y'] } };
    expect(capTextFields(small, 10)).toBe(small);
    const value = { a: 'x', long: 'z'.repeat(100), nested: { n: 1, list: ['y', 'w'.repeat(100)] }, other: { b: 'c' } };
    const capped = capTextFields(value, 50);
    expect(capped.long).toBe(capText('z'.repeat(100), 50));
    expect(capped.nested.list).toEqual(['y', capText('w'.repeat(100), 50)]);
    expect(capped.other).toBe(value.other);
    expect(value.long).toHaveLength(100); // the input is not changed
  });
});
