/** Unified social credit code (统一社会信用代码), GB 32100-2015. */

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const EXCLUDED = 'IOZSV';

export type UsccResult =
  | { ok: true; uscc: string }
  | { ok: false; uscc: string; reason: string; fault: 'length' | 'character' | 'check_digit' };

/** Trim, full-width → half-width (NFKC), upper-case. */
export function normaliseUsccInput(input: string): string {
  return input.normalize('NFKC').trim().toUpperCase();
}

export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    sum += ALPHABET.indexOf(first17.charAt(i)) * (WEIGHTS[i] ?? 0);
  }
  return ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/** Validates a code after normalising it; the reason names what is wrong. */
export function parseUscc(input: string): UsccResult {
  const uscc = normaliseUsccInput(input);
  if (uscc.length !== 18) {
    return { ok: false, uscc, fault: 'length', reason: `must be 18 characters, got ${uscc.length}` };
  }
  for (let i = 0; i < 18; i++) {
    const ch = uscc.charAt(i);
    const digitsOnly = i >= 2 && i <= 7;
    // Position 18 is the check character: a letter there that is never used (GB 32100's own example
    // 91350100M000100Y4Z, "should be 3") is a wrong check digit, which --accept-check-digit-mismatch covers.
    const valid = i === 17 ? /[0-9A-Z]/.test(ch) : digitsOnly ? /[0-9]/.test(ch) : ALPHABET.includes(ch);
    if (!valid) {
      const why = EXCLUDED.includes(ch)
        ? `letter ${ch} is never used`
        : digitsOnly
          ? 'positions 3-8 (region code) must be digits'
          : 'only digits and upper-case letters are allowed';
      return { ok: false, uscc, fault: 'character', reason: `character ${i + 1} '${ch}' is invalid: ${why}` };
    }
  }
  const expected = usccCheckCharacter(uscc.slice(0, 17));
  if (uscc.charAt(17) !== expected) {
    return {
      ok: false,
      uscc,
      fault: 'check_digit',
      reason: `check digit '${uscc.charAt(17)}' is wrong, expected '${expected}'`,
    };
  }
  return { ok: true, uscc };
}
