/**
 * A 天眼查 open-platform double over real HTTP on 127.0.0.1 (reference §5): raw-token
 * `Authorization` (missing or wrong → 300009), GET `/services/open/...` only (unknown path → 300010),
 * `keyword` required (300008), `{error_code, reason, result}` with a numeric code, lists as
 * `{total, items}` paged by `pageNum`/`pageSize` (max 20), 300000 for an unknown company or an empty
 * list. Companies are held in wire form, so tests write the date mix (ms numbers for base info and
 * the illegal list, "YYYY-MM-DD" for the abnormal list) exactly as the provider sends it.
 * The optional lists are served too: `mr/punishmentInfo/3.0` with the published `total: 1` whatever
 * the list's size (a quirk of a recorded body), and `jr/dishonest/2.0` with an honest total.
 * With `perSecond` it is a strict provider: a request that arrives when `perSecond` requests were
 * accepted within the last 1000 ms is refused with 300004 (访问频率过快), as a provider that measures
 * its limit over any sliding second does.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeOverrides, sendFakeJson, type FakeOverride } from './fake-overrides.js';
import { createSeededRandom } from '../../src/providers/mock/seeded-random.js';
import { startTestHttpServer } from './test-http-server.js';

export type WireObject = Record<string, unknown>;

/** One company as the fake serves it; `baseInfo.creditCode` is how requests find it. */
export interface TycFakeCompany {
  baseInfo: WireObject;
  abnormal: WireObject[];
  illegal: WireObject[];
  /** `mr/punishmentInfo/3.0` items. */
  punishment?: WireObject[];
  /** `jr/dishonest/2.0` items. */
  dishonest?: WireObject[];
}

export interface TianyanchaFakeOptions {
  /** Requests accepted in any sliding second; more are refused with 300004. Default: no limit. */
  perSecond?: number;
  /** Each answer is sent after a delay drawn from [min, max] ms (seeded). Default: at once. */
  latencyMs?: readonly [number, number];
  /** Seed of the latency draws. Default 1. */
  seed?: number;
}

export interface TianyanchaFake {
  url: string;
  token: string;
  /** Keyed by the credit code a request's `keyword` names; tests edit it between checks. */
  companies: Map<string, TycFakeCompany>;
  /** Every request: path, query and whether it was authorised. */
  /** Every request in arrival order; `at` is `performance.now()` at arrival. */
  requests: Array<{ path: string; query: URLSearchParams; authorised: boolean; at: number }>;
  /** Indexes in `requests` (arrival order) of the requests the `perSecond` window refused with 300004. */
  refusedAt: number[];
  /** The next `times` matching requests answer this `error_code` (HTTP 200, like the provider). */
  failWith(code: number, options?: { path?: string; times?: number }): void;
  /** A canned raw answer (HTML page, truncated JSON, a published body). */
  override(override: FakeOverride): void;
  clear(): void;
  close(): Promise<void>;
}

const LISTS = {
  '/services/open/mr/abnormal/2.0': 'abnormal',
  '/services/open/mr/illegalinfo/2.0': 'illegal',
  '/services/open/mr/punishmentInfo/3.0': 'punishment',
  '/services/open/jr/dishonest/2.0': 'dishonest',
} as const;
const BASE_INFO = '/services/open/ic/baseinfo/normal';
const REASONS: Record<number, string> = {
  300000: '无数据',
  300004: '访问频率过快',
  300006: '余额不足',
  300007: '剩余次数不足',
  300008: '缺少必要参数',
  300009: '账号信息有误',
  300010: 'URL不存在',
  300011: '此IP无权限访问此api',
};

export async function startTianyanchaFake(
  token = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0',
  options: TianyanchaFakeOptions = {},
): Promise<TianyanchaFake> {
  const companies = new Map<string, TycFakeCompany>();
  const requests: TianyanchaFake['requests'] = [];
  const refusedAt: number[] = [];
  const overrides = new FakeOverrides();
  const accepted: number[] = [];
  const random = createSeededRandom(options.seed ?? 1);

  const fail = (res: ServerResponse, code: number): void => {
    // Error bodies carry no `result` key, as in every public mock.
    sendFakeJson(res, 200, { error_code: code, reason: REASONS[code] ?? '请求失败' });
  };

  /** True when the sliding second is full: the request is refused and not counted. */
  const overWindow = (now: number): boolean => {
    if (options.perSecond === undefined) return false;
    while (accepted.length > 0 && now - (accepted[0] ?? 0) >= 1000) accepted.shift();
    if (accepted.length >= options.perSecond) return true;
    accepted.push(now);
    return false;
  };

  /** Every request is recorded at arrival, where the window is measured; only the answer waits. */
  const arrive = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const at = performance.now();
    const refused = overWindow(at);
    if (refused) refusedAt.push(requests.length);
    requests.push({ path: url.pathname, query: url.searchParams, authorised: req.headers.authorization === token, at });
    const [min, max] = options.latencyMs ?? [0, 0];
    const answer = (): void => {
      if (refused) fail(res, 300004);
      else handle(req, res, url);
    };
    if (max <= 0) answer();
    else setTimeout(answer, min + random() * (max - min));
  };

  const handle = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const authorised = req.headers.authorization === token;
    if (overrides.apply(url.pathname + url.search, res)) return;
    if (!authorised) { fail(res, 300009); return; }
    if (req.method !== 'GET' || !url.pathname.startsWith('/services/open/')) { fail(res, 300010); return; }
    const keyword = url.searchParams.get('keyword');
    if (keyword === null || keyword === '') { fail(res, 300008); return; }
    const company = companies.get(keyword);
    if (url.pathname === BASE_INFO) {
      if (company === undefined) { fail(res, 300000); return; }
      sendFakeJson(res, 200, { error_code: 0, reason: 'ok', result: company.baseInfo });
      return;
    }
    const list = LISTS[url.pathname as keyof typeof LISTS] as (typeof LISTS)[keyof typeof LISTS] | undefined;
    if (list === undefined) { fail(res, 300010); return; }
    const items = company?.[list] ?? [];
    if (items.length === 0) { fail(res, 300000); return; }
    const pageNum = Math.max(1, Number(url.searchParams.get('pageNum') ?? '1') || 1);
    const pageSize = Math.min(20, Math.max(1, Number(url.searchParams.get('pageSize') ?? '20') || 20));
    const page = items.slice((pageNum - 1) * pageSize, pageNum * pageSize);
    // Past the end the provider answers 300000, as for an empty list.
    if (page.length === 0) { fail(res, 300000); return; }
    const total = list === 'punishment' ? 1 : items.length;
    sendFakeJson(res, 200, { error_code: 0, reason: 'ok', result: { total, items: page } });
  };

  const server = await startTestHttpServer(arrive);
  return {
    url: server.url,
    token,
    companies,
    requests,
    refusedAt,
    failWith: (code, options = {}) => {
      overrides.add({ ...options, body: { error_code: code, reason: REASONS[code] ?? '请求失败', result: null } });
    },
    override: (override) => {
      overrides.add(override);
    },
    clear: () => {
      overrides.clear();
      requests.length = 0;
      refusedAt.length = 0;
    },
    close: () => server.close(),
  };
}

/** Epoch ms of Beijing midnight on a calendar day, as 天眼查 sends dates (e.g. "2024-01-01" → 1703952000000). */
export function beijingMidnightMs(isoDate: string): number {
  return Date.parse(`${isoDate}T00:00:00+08:00`);
}

/** A base-info `result` in wire form. */
export function tycBaseInfo(creditCode: string, fields: WireObject = {}): WireObject {
  return {
    id: 123456789,
    name: '示例科技有限公司',
    creditCode,
    regNumber: '310000000000000',
    regStatus: '存续',
    legalPersonName: '张三',
    regCapital: '1000万人民币',
    regLocation: '上海市浦东新区示例路1号',
    businessScope: '技术开发、技术咨询',
    regInstitute: '上海市市场监督管理局',
    estiblishTime: beijingMidnightMs('2010-01-01'),
    cancelDate: null,
    revokeDate: null,
    ...fields,
  };
}
