/**
 * A 企查查 open-platform double over real HTTP on 127.0.0.1 (reference §5): `key` in the query
 * (unknown → Status "101"), `Timespan` and `Token` headers with Token = upper(MD5(key + Timespan +
 * secret)) (mismatch or a Timespan more than 300 s off → "107", our own choice of window), Status as
 * a string, `Message` with the 【有效请求】/【无效请求】 prefix, an `OrderNumber`, `Paging` only on paged
 * answers, and both no-data forms (201, and 200 with `VerifyResult: 0` and `Data: null`). The
 * abnormal list keeps the `RomoveReason` spelling: tests write entries in wire form.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeOverrides, sendFakeJson, type FakeOverride } from './fake-overrides.js';
import { startTestHttpServer } from './test-http-server.js';
import type { WireObject } from './tianyancha-fake.js';

export interface QccFakeCompany {
  /** `ECIV4/GetBasicDetailsByName` Result; `CreditCode` is how requests find it. */
  baseInfo: WireObject;
  exceptions: WireObject[];
  seriousIllegal: WireObject[];
  /** `AdminPenaltyCheck/GetList` items (`DocNo`, `PunishDate`, …). */
  adminPenalties?: WireObject[];
  /** `ShixinCheck/GetList` items (`Anno`, `Liandate`, `Publicdate`, …). */
  shixin?: WireObject[];
}

export interface QichachaFakeOptions {
  key?: string;
  secret?: string;
  /** How an empty Check list answers: "verify0" (200, VerifyResult 0, Data null; default) or "201". */
  noDataForm?: 'verify0' | '201';
  /** Whether the Check lists honour pageIndex/pageSize and send Paging. Default true. */
  paged?: boolean;
  /** The fake's clock for the Timespan window, epoch ms. Default Date.now. */
  clock?: () => number;
}

export interface QichachaFake {
  url: string;
  key: string;
  secret: string;
  companies: Map<string, QccFakeCompany>;
  requests: Array<{ path: string; query: URLSearchParams; headers: IncomingMessage['headers'] }>;
  options: Required<Omit<QichachaFakeOptions, 'key' | 'secret' | 'clock'>>;
  /** The next `times` matching requests answer this Status (HTTP 200, like the provider). */
  failWith(status: string, options?: { path?: string; times?: number }): void;
  override(override: FakeOverride): void;
  clear(): void;
  close(): Promise<void>;
}

const CHECK_LISTS = {
  '/ExceptionCheck/GetList': 'exceptions',
  '/SeriousIllegalCheck/GetList': 'seriousIllegal',
  '/AdminPenaltyCheck/GetList': 'adminPenalties',
  '/ShixinCheck/GetList': 'shixin',
} as const;

const MESSAGES: Record<string, string> = {
  '101': '当前的KEY无效或者还未生效中',
  '102': '当前KEY已欠费',
  '107': '被禁止的IP或者签名错误',
  '109': '请求超过每日系统限制',
  '110': '当前相同查询连续出错，请等2小时后重试',
  '112': '您的账号剩余使用量已不足或已过期',
  '116': '请求超过每日（服务期）调用总量限制',
  '120': '系统流量异常，请稍后再试',
  '122': '请求超过系统并发限制',
  '201': '查询无结果',
  '202': '查询参数错误，请检查',
};

let orderSerial = 0;
function orderNumber(path: string): string {
  orderSerial += 1;
  return `${path.split('/')[1]?.toUpperCase() ?? 'API'}2024010112000${String(orderSerial).padStart(8, '0')}`;
}

export async function startQichachaFake(options: QichachaFakeOptions = {}): Promise<QichachaFake> {
  const key = options.key ?? 'demoKey';
  const secret = options.secret ?? 'demoSecret';
  const clock = options.clock ?? Date.now;
  const settings = { noDataForm: options.noDataForm ?? 'verify0', paged: options.paged ?? true };
  const companies = new Map<string, QccFakeCompany>();
  const requests: QichachaFake['requests'] = [];
  const overrides = new FakeOverrides();

  const invalid = (status: string): WireObject => ({
    Status: status,
    Message: `【无效请求】${MESSAGES[status] ?? '无效的请求'}`,
    OrderNumber: orderNumber('/ERROR'),
    Paging: null,
    Result: null,
  });
  const ok = (path: string, result: unknown, paging?: WireObject): WireObject => ({
    Status: '200',
    Message: '【有效请求】查询成功',
    OrderNumber: orderNumber(path),
    ...(paging === undefined ? {} : { Paging: paging }),
    Result: result,
  });
  const noData = (path: string): WireObject => ({ Status: '201', Message: '【有效请求】查询无结果', OrderNumber: orderNumber(path), Paging: null, Result: null });

  const authError = (req: IncomingMessage, url: URL): string | undefined => {
    if (url.searchParams.get('key') !== key) return '101';
    const timespan = req.headers.timespan;
    const token = req.headers.token;
    if (typeof timespan !== 'string' || typeof token !== 'string') return '107';
    if (!/^\d+$/.test(timespan) || Math.abs(Number(timespan) - clock() / 1000) > 300) return '107';
    const expected = createHash('md5').update(`${key}${timespan}${secret}`).digest('hex').toUpperCase();
    return token === expected ? undefined : '107';
  };

  const list = (res: ServerResponse, url: URL, items: WireObject[]): void => {
    if (items.length === 0) {
      sendFakeJson(res, 200, settings.noDataForm === '201' ? noData(url.pathname) : { ...ok(url.pathname, { VerifyResult: 0, Data: null }), Paging: null });
      return;
    }
    if (!settings.paged) { sendFakeJson(res, 200, ok(url.pathname, { VerifyResult: 1, Data: items })); return; }
    const pageIndex = Math.max(1, Number(url.searchParams.get('pageIndex') ?? '1') || 1);
    const pageSize = Math.min(20, Math.max(1, Number(url.searchParams.get('pageSize') ?? '10') || 10));
    const page = items.slice((pageIndex - 1) * pageSize, pageIndex * pageSize);
    sendFakeJson(res, 200, ok(url.pathname, { VerifyResult: 1, Data: page }, { PageSize: pageSize, PageIndex: pageIndex, TotalRecords: items.length }));
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    requests.push({ path: url.pathname, query: url.searchParams, headers: req.headers });
    if (overrides.apply(url.pathname + url.search, res)) return;
    const auth = authError(req, url);
    if (auth !== undefined) { sendFakeJson(res, 200, invalid(auth)); return; }
    switch (url.pathname) {
      case '/ECIV4/GetBasicDetailsByName': {
        const keyword = url.searchParams.get('keyword') ?? '';
        if (keyword.length < 2) { sendFakeJson(res, 200, invalid('202')); return; }
        const company = companies.get(keyword);
        sendFakeJson(res, 200, company === undefined ? noData(url.pathname) : ok(url.pathname, company.baseInfo)); return;
      }
      case '/ExceptionCheck/GetList':
      case '/SeriousIllegalCheck/GetList':
      case '/AdminPenaltyCheck/GetList':
      case '/ShixinCheck/GetList': {
        const searchKey = url.searchParams.get('searchKey') ?? '';
        if (searchKey.length < 2) { sendFakeJson(res, 200, invalid('202')); return; }
        const company = companies.get(searchKey);
        list(res, url, company?.[CHECK_LISTS[url.pathname]] ?? []); return;
      }
      default:
        res.writeHead(404, { 'content-type': 'text/html' });
        res.end('<html><body>404 Not Found</body></html>');
    }
  };

  const server = await startTestHttpServer(handle);
  return {
    url: server.url,
    key,
    secret,
    companies,
    requests,
    options: settings,
    failWith: (status, opts = {}) => {
      overrides.add({ ...opts, body: invalid(status) });
    },
    override: (override) => {
      overrides.add(override);
    },
    clear: () => {
      overrides.clear();
      requests.length = 0;
    },
    close: () => server.close(),
  };
}

/** A base-info Result in wire form (dates as "YYYY-MM-DD", `TermEnd` null). */
export function qccBaseInfo(creditCode: string, fields: WireObject = {}): WireObject {
  return {
    KeyNo: '0123456789abcdef0123456789abcdef',
    Name: '示例科技有限公司',
    CreditCode: creditCode,
    No: '310000000000000',
    OperName: '张三',
    Status: '存续（在营、开业、在册）',
    StartDate: '2010-01-01',
    TermStart: '2010-01-01',
    TermEnd: null,
    RegistCapi: '1000万人民币',
    Address: '上海市浦东新区示例路1号',
    Scope: '技术开发、技术咨询',
    BelongOrg: '上海市市场监督管理局',
    OriginalName: [],
    RevokeInfo: null,
    ...fields,
  };
}
