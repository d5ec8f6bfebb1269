/**
 * Says "report it" once per streak of a recurring condition (a field missing from every answer of
 * one customer), not on every check; the streak ends when the condition clears. Bounded: past
 * `limit` keys the oldest is forgotten (and may be reported once more), so memory never grows with
 * the portfolio.
 */
export function createOncePerStreak(limit = 10_000): (key: string, signature: string | null) => boolean {
  const reported = new Map<string, string>();
  return (key, signature) => {
    if (signature === null) {
      reported.delete(key);
      return false;
    }
    if (reported.get(key) === signature) return false;
    reported.delete(key);
    reported.set(key, signature);
    if (reported.size > limit) {
      const oldest = reported.keys().next().value;
      if (oldest !== undefined) reported.delete(oldest);
    }
    return true;
  };
}
