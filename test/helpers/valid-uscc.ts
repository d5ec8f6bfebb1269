import { usccCheckCharacter } from '../../src/domain/uscc.js';

/**
 * A well-formed USCC (correct check digit) unique per `seed` (0 ≤ seed < 10^9): enterprise, Shenzhen
 * region, the seed as the organisation code.
 */
export function validUscc(seed: number): string {
  const first17 = `91440300${String(seed).padStart(9, '0')}`;
  return first17 + usccCheckCharacter(first17);
}
