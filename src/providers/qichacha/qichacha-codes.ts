import type { ProviderError } from '../../domain/sections.js';

/** 企查查 `Status` values with a meaning of their own (reference §2.3). */
export const QCC_STATUS = { ok: '200', noData: '201' } as const;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
// China has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact for "now".
const BEIJING_OFFSET_MS = 8 * HOUR_MS;

/** Epoch ms of the next Beijing midnight strictly after `nowMs`. */
export function nextBeijingMidnight(nowMs: number): number {
  return Math.floor((nowMs + BEIJING_OFFSET_MS) / DAY_MS) * DAY_MS + DAY_MS - BEIJING_OFFSET_MS;
}

type Kind = Exclude<ProviderError['kind'], 'not_found' | 'no_data'>;
type Rule = { kind: Kind; label: string; wait?: 'two_hours' | 'beijing_midnight' };

const rule = (kind: Kind, label: string, wait?: Rule['wait']): Rule => (wait === undefined ? { kind, label } : { kind, label, wait });

/**
 * Every published code. Key, permission and whitelist codes are `auth` and balance codes `quota`:
 * only an operator can fix them and every further call would fail. Parameter codes are
 * `invalid_response` (our request is wrong: fail the section, keep the queue). Abuse penalties that
 * need a person (106) count as `auth` for the same reason.
 *
 * `rate_limited` is for account-wide limits only (108, 109, 116, 120, 122): they pause every
 * request and the scan queue. A code about one query — 110 (the same query keeps failing, wait 2 h)
 * and 117 (too many calls with a parameter the API does not support: our parameters are the same for
 * every customer but the code) — is `transient`: that section fails and counts towards
 * monitoring.degraded, and only that customer is asked again later, no sooner than the advised wait.
 */
const RULES: Readonly<Record<string, Rule>> = {
  '101': rule('auth', '当前的KEY无效 invalid key'),
  '102': rule('quota', '当前KEY已欠费 key in arrears'),
  '103': rule('auth', '当前KEY被暂停使用 key suspended'),
  '104': rule('auth', '请求KEY异常 key abnormal'),
  '105': rule('auth', '接口已下线停用 API offline'),
  '106': rule('auth', '非法请求过多 too many illegal requests, contact QCC'),
  '107': rule('auth', '被禁止的IP或者签名错误 IP not whitelisted or bad Token'),
  '108': rule('rate_limited', '异常请求过多 too many abnormal requests'),
  '109': rule('rate_limited', '请求超过每日系统限制 daily system limit', 'beijing_midnight'),
  '110': rule('transient', '当前相同查询连续出错 same query failing, wait 2 h', 'two_hours'),
  '111': rule('auth', '接口权限未开通 permission not granted'),
  '112': rule('quota', '账号剩余使用量已不足或已过期 quota used up or expired'),
  '113': rule('auth', '当前接口已被删除 API deleted for this account'),
  '114': rule('auth', '当前接口已被禁用 API disabled'),
  '115': rule('auth', '身份验证错误或者已过期 authentication error'),
  '116': rule('rate_limited', '请求超过每日调用总量限制 daily total exceeded', 'beijing_midnight'),
  '117': rule('transient', '当前不支持的请求参数调用量过多 too many unsupported calls'),
  '118': rule('invalid_response', '当前接口不支持此方式的调用 wrong method'),
  '119': rule('auth', '您的账号出现异常 account abnormal'),
  '120': rule('rate_limited', '系统流量异常 traffic abnormal'),
  '121': rule('auth', '数据不能出境 data cannot leave China'),
  '122': rule('rate_limited', '请求超过系统并发限制 concurrency limit'),
  '123': rule('quota', '未认证权益上限 unverified-account cap'),
  '124': rule('transient', '系统维护中 maintenance'),
  '125': rule('invalid_response', '查询参数错误 bad parameter'),
  '126': rule('invalid_response', '查询参数类型或结构有误 bad parameter type'),
  '199': rule('transient', '系统未知错误 unknown system error'),
  '202': rule('invalid_response', '查询参数错误 bad parameter'),
  '203': rule('transient', '系统查询有异常 system query error'),
  '204': rule('invalid_response', '请至少输入一个参数 missing parameter'),
  '205': rule('transient', '等待处理中 processing'),
  '207': rule('invalid_response', '条目数超过上限 too many items'),
  '208': rule('invalid_response', '此接口不支持此公司类型查询 unsupported company type'),
  '213': rule('invalid_response', '参数长度不能小于2 parameter too short'),
  '214': rule('auth', '您还未购买过该接口 API not purchased'),
  '215': rule('invalid_response', '不支持的查询关键字 unsupported keyword'),
  '223': rule('invalid_response', '查询参数模糊 ambiguous query'),
  '224': rule('invalid_response', '查询参数无效 invalid parameter'),
};

/**
 * The ProviderError for a `Status` other than 200/201. Daily caps (109, 116) advise a wait until the
 * next Beijing midnight, when the provider's day rolls over; 110 advises its documented 2 h for that
 * query (the customer's next check); the other rate limits advise nothing, so the growing pause applies.
 */
export function qccStatusError(status: string, what: string, nowMs: number): ProviderError {
  const known = RULES[status];
  if (known === undefined) return { kind: 'invalid_response', message: `${what}: unexpected Status ${status}` };
  const message = `${what}: ${known.label} (Status ${status})`;
  if (known.wait === 'two_hours') return { kind: known.kind, message, retryAfterMs: 2 * HOUR_MS };
  if (known.wait === 'beijing_midnight') return { kind: known.kind, message, retryAfterMs: nextBeijingMidnight(nowMs) - nowMs };
  return { kind: known.kind, message };
}

/**
 * The account-wide rate-limit answer in a parsed body, if it is one (企查查 answers in an HTTP 200),
 * for the request gate: see `GetJsonOptions.rateLimitIn`.
 */
export function qccRateLimitIn(body: unknown, what: string, nowMs: number): ProviderError | undefined {
  const status = typeof body === 'object' && body !== null ? (body as { Status?: unknown }).Status : undefined;
  if (typeof status !== 'string' && typeof status !== 'number') return undefined;
  const error = qccStatusError(String(status), what, nowMs);
  return error.kind === 'rate_limited' ? error : undefined;
}
