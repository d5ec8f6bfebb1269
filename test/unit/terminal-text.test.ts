import { describe, expect, it } from 'vitest';
import { terminalSafe } from '../../src/cli/terminal-text.js';

describe('terminalSafe', () => {
  it.each([
    { name: 'C0: a newline that would forge a line', input: 'A\nFORGED', output: 'A\\u000AFORGED' },
    { name: 'C0: ESC of an ANSI colour', input: '\u001b[31mRED', output: '\\u001B[31mRED' },
    { name: 'DEL', input: 'a\u007fb', output: 'a\\u007Fb' },
    { name: 'C1: CSI, an 8-bit ANSI sequence', input: '\u009b31mRED', output: '\\u009B31mRED' },
    { name: 'C1: NEL, a line break to some terminals', input: 'A\u0085B', output: 'A\\u0085B' },
    { name: 'C1: OSC, which can set the window title', input: '\u009d0;pwned\u009c', output: '\\u009D0;pwned\\u009C' },
    { name: 'bidi: right-to-left override', input: 'C\u202Egnp.exe', output: 'C\\u202Egnp.exe' },
    { name: 'bidi: isolates', input: '\u2066a\u2067b\u2068c\u2069', output: '\\u2066a\\u2067b\\u2068c\\u2069' },
    { name: 'bidi: marks', input: '\u200Ea\u200Fb\u061Cc', output: '\\u200Ea\\u200Fb\\u061Cc' },
    { name: 'bidi: embeddings and pop', input: '\u202Aa\u202Bb\u202Cc\u202D', output: '\\u202Aa\\u202Bb\\u202Cc\\u202D' },
    { name: 'line and paragraph separators', input: 'a\u2028b\u2029c', output: 'a\\u2028b\\u2029c' },
    { name: 'Chinese, full-width and emoji text untouched', input: '平安银行（深圳）🏦 Ａ', output: '平安银行（深圳）🏦 Ａ' },
  ])('$name', ({ input, output }) => {
    expect(terminalSafe(input)).toBe(output);
  });

  it('is idempotent', () => {
    const once = terminalSafe('\u009b\u202E\n');
    expect(terminalSafe(once)).toBe(once);
  });

  it('keeps a compact JSON document valid, with the same values', () => {
    const value = { name: 'C\u202Egnp\u0085\u009b\u2028\u007f.exe', note: 'a\nb', list: ['\u2066x\u2069'] };
    const safe = terminalSafe(JSON.stringify(value));
    // eslint-disable-next-line no-control-regex -- the point of the test
    expect(safe).not.toMatch(/[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/u);
    expect(JSON.parse(safe)).toEqual(value);
  });
});
