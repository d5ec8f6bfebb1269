import { describe, expect, it } from 'vitest';
import { createOncePerStreak } from '../../src/app/once-per-streak.js';

describe('createOncePerStreak', () => {
  it('reports a condition once while it lasts, again when it changes or comes back', () => {
    const once = createOncePerStreak();
    expect(['a', 'a', 'b', 'b', null, 'b'].map((signature) => once('customer', signature))).toEqual([true, false, true, false, false, true]);
  });

  it('keeps at most `limit` keys', () => {
    const once = createOncePerStreak(2);
    expect([once('k1', 'x'), once('k2', 'x'), once('k3', 'x'), once('k1', 'x'), once('k3', 'x')]).toEqual([true, true, true, true, false]);
  });
});
