import type { ProviderError } from '../../domain/sections.js';

/** 天眼查 `error_code` values with a meaning of their own (reference §1.3). */
export const TYC_CODES = {
  ok: 0,
  /** 无数据 / 经查无结果: "nothing on record", never an error. */
  noData: 300000,
  /** 访问频率过快: rate limited, with no advised wait. */
  rateLimited: 300004,
} as const;

type Kind = Exclude<ProviderError['kind'], 'not_found' | 'no_data'>;

/**
 * The port's error kind for every other published code. Permission and IP-whitelist codes are
 * `auth`: like a bad token, only an operator can fix them, and every further call would fail too.
 * Parameter and URL errors are `invalid_response`: they mean our request is wrong, which a retry
 * cannot fix but which must not stop the whole queue either.
 */
const KIND_BY_CODE: Readonly<Record<number, { kind: Kind; label: string }>> = {
  300001: { kind: 'transient', label: '请求失败 request failed' },
  300002: { kind: 'auth', label: '账号失效 account invalid or disabled' },
  300003: { kind: 'auth', label: '账号过期 account expired' },
  300005: { kind: 'auth', label: '无权限访问此api no permission for this API' },
  300006: { kind: 'quota', label: '余额不足 insufficient balance' },
  300007: { kind: 'quota', label: '剩余次数不足 remaining calls exhausted' },
  300008: { kind: 'invalid_response', label: '缺少必要参数 missing parameter' },
  300009: { kind: 'auth', label: '账号信息有误 account information wrong (token)' },
  300010: { kind: 'invalid_response', label: 'URL不存在 URL does not exist' },
  300011: { kind: 'auth', label: '此IP无权限访问此api IP not whitelisted' },
  300012: { kind: 'transient', label: '报告生成中 report being generated' },
};

/**
 * The ProviderError for a non-zero `error_code` other than 300000. The provider's `reason` text is
 * not quoted: the number is the contract, and the text may change.
 */
export function tycCodeError(code: number, what: string): ProviderError {
  if (code === TYC_CODES.rateLimited) return { kind: 'rate_limited', message: `${what}: rate limited (error_code ${code})` };
  const known = KIND_BY_CODE[code];
  if (known !== undefined) return { kind: known.kind, message: `${what}: ${known.label} (error_code ${code})` };
  // An unknown code may be anything; failing the section (not the queue) is the safe reading.
  return { kind: 'invalid_response', message: `${what}: unexpected error_code ${code}` };
}

/**
 * The rate-limit answer in a parsed body, if it is one (300004 arrives in an HTTP 200), for the
 * request gate: see `GetJsonOptions.rateLimitIn`.
 */
export function tycRateLimitIn(body: unknown, what: string): ProviderError | undefined {
  const code = typeof body === 'object' && body !== null ? Number((body as { error_code?: unknown }).error_code) : Number.NaN;
  return code === TYC_CODES.rateLimited ? tycCodeError(code, what) : undefined;
}
