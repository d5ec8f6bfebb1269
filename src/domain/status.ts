/** Registration status text (登记状态) → the provider-independent `RegistrationStatus`. */
import type { RegistrationStatus } from './snapshot.js';
import { normaliseText } from './text.js';

/**
 * Checked in order, negative words first, so that "存续（吊销）"-style mixtures read as the worse
 * state. Each pattern runs on NFKC-normalised text (full-width "，（）" are already half-width).
 */
const RULES: readonly (readonly [RegistrationStatus, RegExp])[] = [
  // 注销 but not 未注销: "吊销，未注销" (revoked, not yet deregistered) is revoked, "吊销，已注销" is cancelled.
  ['cancelled', /(?<!未)注销/u],
  ['revoked', /吊销|责令关闭/u],
  ['withdrawn', /撤销/u],
  ['relocated_out', /迁出|迁往|迁移异地/u],
  ['liquidating', /清算|破产/u],
  ['suspended', /停业|歇业/u],
  // 非正常户 is a tax-office flag meaning "unreachable", not 正常; 登记成立 ("registered") is how some
  // provincial systems write an active company (reference/domain.md §4).
  ['active', /存续|在业|开业|在营|(?<!非)正常|在册|仍注册|迁入|登记成立/u],
];

/** Maps a provider's status text; anything unrecognised (其他, 筹建, "") is `unknown`. */
export function mapRegistrationStatus(text: string): RegistrationStatus {
  const normalised = normaliseText(text);
  for (const [status, pattern] of RULES) {
    if (pattern.test(normalised)) return status;
  }
  return 'unknown';
}
