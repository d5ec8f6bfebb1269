/** Registration status text (登记状态) → the provider-independent `RegistrationStatus`. */
import type { RegistrationStatus } from './snapshot.js';
import { normaliseText } from './text.js';

/**
 * Checked in order, negative words first, so that "存续（吊销）"-style mixtures read as the worse
 * state. Each pattern runs on NFKC-normalised text without white space (full-width "，（）" are
 * already half-width).
 */
const RULES: readonly (readonly [RegistrationStatus, RegExp])[] = [
  // 注销 but not 未注销: "吊销，未注销" (revoked, not yet deregistered) is revoked, "吊销，已注销" is cancelled.
  // Nor a deregistration still in its notice period ("存续(简易注销公告中)"): the company exists and
  // creditors may still object, so it reads as winding up (liquidating), not as gone.
  ['cancelled', /(?<!未)注销(?!公告|中|申请)/u],
  ['revoked', /吊销|责令关闭/u],
  ['withdrawn', /撤销/u],
  ['relocated_out', /迁出|迁往|迁移异地/u],
  ['liquidating', /清算|破产|注销公告|注销中|注销申请/u],
  ['suspended', /停业|歇业/u],
  // 非正常户 is a tax-office flag meaning "unreachable", not 正常; 登记成立 ("registered") is how some
  // provincial systems write an active company (reference/domain.md §4).
  ['active', /存续|在业|开业|在营|(?<!非)正常|在册|仍注册|迁入|登记成立/u],
];

/**
 * Maps a provider's status text; anything unrecognised (其他, 筹建, "") is `unknown`. Matched with all
 * white space removed: "吊销，未 注销" is "吊销，未注销".
 */
export function mapRegistrationStatus(text: string): RegistrationStatus {
  const normalised = normaliseText(text).replace(/\s/gu, '');
  for (const [status, pattern] of RULES) {
    if (pattern.test(normalised)) return status;
  }
  return 'unknown';
}
