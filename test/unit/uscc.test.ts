import { describe, expect, it } from 'vitest';
import { normaliseUsccInput, parseUscc, usccCheckCharacter } from '../../src/domain/uscc.js';

describe('parseUscc', () => {
  it.each([
    '91440300708461136T',
    '914403001922038216',
    '9152000071430580XT',
    '91110000802100433B',
    '91110000600037341L',
    '121200004013590816',
    '91350100M000100Y43',
  ])('accepts %s', (code) => {
    expect(parseUscc(code)).toEqual({ ok: true, uscc: code });
  });

  it.each([
    { name: 'full-width', input: '９１４４０３００７０８４６１１３６Ｔ' },
    { name: 'lower case', input: '91440300708461136t' },
    { name: 'surrounding spaces', input: '  91440300708461136T\t' },
    { name: 'ideographic spaces', input: '\u300091440300708461136T\u3000' },
  ])('normalises $name input', ({ input }) => {
    expect(parseUscc(input)).toEqual({ ok: true, uscc: '91440300708461136T' });
  });

  it('rejects the standard\'s own example with "should be 3"', () => {
    const result = parseUscc('91350100M000100Y4Z');
    expect(result).toMatchObject({ ok: false, fault: 'check_digit' });
    expect(result.ok ? '' : result.reason).toContain("expected '3'");
  });

  it.each([
    { code: '91110000600037341N', expected: 'L' },
    { code: '9144030071526726XH', expected: 'G' },
  ])('rejects $code with a wrong check digit, expecting $expected', ({ code, expected }) => {
    const result = parseUscc(code);
    expect(result).toMatchObject({ ok: false, fault: 'check_digit' });
    expect(result.ok ? '' : result.reason).toContain(`expected '${expected}'`);
  });

  it.each(['I', 'O', 'Z', 'S', 'V'])('rejects the excluded letter %s and names its position', (letter) => {
    const code = `911100006${letter}0037341L`;
    const result = parseUscc(code);
    expect(result).toMatchObject({ ok: false, fault: 'character' });
    expect(result.ok ? '' : result.reason).toBe(`character 10 '${letter}' is invalid: letter ${letter} is never used`);
  });

  it('rejects a letter in the region code (positions 3-8)', () => {
    const result = parseUscc('9144A300708461136T');
    expect(result).toMatchObject({ ok: false, fault: 'character' });
    expect(result.ok ? '' : result.reason).toContain('character 5');
  });

  it('rejects punctuation in the check position as a character, not a check digit', () => {
    expect(parseUscc('91440300708461136*')).toMatchObject({ ok: false, fault: 'character' });
  });

  it.each([
    { input: '', length: 0 },
    { input: '9144030070846113', length: 16 },
    { input: '91440300708461136', length: 17 },
    { input: '91440300708461136TT', length: 19 },
  ])('rejects length $length', ({ input, length }) => {
    const result = parseUscc(input);
    expect(result).toMatchObject({ ok: false, fault: 'length' });
    expect(result.ok ? '' : result.reason).toBe(`must be 18 characters, got ${length}`);
  });
});

describe('usccCheckCharacter', () => {
  it.each([
    ['91350100M000100Y4', '3'],
    ['91440300708461136', 'T'],
    ['91110000600037341', 'L'],
  ])('%s → %s', (first17, check) => {
    expect(usccCheckCharacter(first17)).toBe(check);
  });
});

describe('normaliseUsccInput', () => {
  it('trims, folds width and upper-cases', () => {
    expect(normaliseUsccInput(' ９１ab ')).toBe('91AB');
  });
});
