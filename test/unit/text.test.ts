import { describe, expect, it } from 'vitest';
import { normaliseOptionalText, normaliseText } from '../../src/domain/text.js';

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
