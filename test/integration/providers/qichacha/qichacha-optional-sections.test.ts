/** QichachaProvider's optional sections (行政处罚核查, 失信核查) against the 企查查 fake. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toFetchedSections } from '../../../../src/domain/fetched-sections.js';
import { sha256Hex } from '../../../../src/wiring/check-deps.js';
import { createHttpClient, type HttpClient } from '../../../../src/providers/http-client.js';
import { QichachaProvider } from '../../../../src/providers/qichacha/qichacha-provider.js';
import { qccBaseInfo, startQichachaFake, type QichachaFake } from '../../../helpers/qichacha-fake.js';
import { validUscc } from '../../../helpers/valid-uscc.js';

const USCC = validUscc(521);
let fake: QichachaFake;
let http: HttpClient;
let off: QichachaProvider;
let on: QichachaProvider;

const penalty = (n: number) => ({
  Id: `a1b2c3${n}`,
  DocNo: `深市监罚〔2024〕${n}号`,
  PunishReason: '销售不符合保障人体健康的产品',
  PunishResult: '罚款5000元',
  PunishOffice: '深圳市市场监督管理局',
  PunishDate: '2024-01-01',
  Source: '信用中国',
});
const shixin = (n: number) => ({
  Id: `d4e5f6${n}`,
  Anno: `（2023）粤0305执${n}号`,
  Liandate: '2023-03-01 00:00:00',
  Publicdate: '2023-06-01',
  Executegov: '深圳市南山区人民法院',
  Executestatus: '全部未履行',
  Executeno: '（2022）粤0305民初1号',
  ActionRemark: '有履行能力而拒不履行生效法律文书确定义务',
  Amount: '1098000',
});

beforeAll(async () => {
  fake = await startQichachaFake();
  http = createHttpClient();
  off = new QichachaProvider({ key: fake.key, secret: fake.secret, baseUrl: fake.url, http });
  on = new QichachaProvider({ key: fake.key, secret: fake.secret, baseUrl: fake.url, http, sections: { administrativePenalties: true, dishonestDebtors: true, annualReports: false } });
});
afterEach(() => {
  fake.clear();
  fake.companies.clear();
});
afterAll(async () => {
  await off.close();
  await on.close();
  await http.close();
  await fake.close();
});

const signal = () => AbortSignal.timeout(10_000);
const pages = (path: string) => fake.requests.filter((r) => r.path === path).map((r) => r.query.get('pageIndex'));

it('off by default: no call, no section', async () => {
  fake.companies.set(USCC, { baseInfo: qccBaseInfo(USCC), exceptions: [], seriousIllegal: [], adminPenalties: [penalty(1)], shixin: [shixin(1)] });
  const sections = await off.fetchSections(USCC, signal());
  expect('administrativePenalties' in sections || 'dishonestDebtors' in sections).toBe(false);
  expect(pages('/AdminPenaltyCheck/GetList')).toEqual([]);
  expect(pages('/ShixinCheck/GetList')).toEqual([]);
});

describe('AdminPenaltyCheck/GetList', () => {
  it('reads 45 penalties over three pages, keyed by DocNo', async () => {
    fake.companies.set(USCC, { baseInfo: qccBaseInfo(USCC), exceptions: [], seriousIllegal: [], adminPenalties: Array.from({ length: 45 }, (_, i) => penalty(i + 1)) });
    const fetched = toFetchedSections(await on.fetchSections(USCC, signal()), sha256Hex, { uscc: USCC });
    expect(pages('/AdminPenaltyCheck/GetList')).toEqual(['1', '2', '3']);
    const value = fetched.administrativePenalties?.ok ? fetched.administrativePenalties.value : [];
    expect(value).toHaveLength(45);
    expect(value.find((e) => e.key === '深市监罚〔2024〕7号')).toMatchObject({ listedOn: '2024-01-01', reason: '销售不符合保障人体健康的产品;罚款5000元', authority: '深圳市市场监督管理局' });
  });

  it('without DocNo the entry is keyed by its facts', async () => {
    fake.companies.set(USCC, { baseInfo: qccBaseInfo(USCC), exceptions: [], seriousIllegal: [], adminPenalties: [{ ...penalty(1), DocNo: undefined }] });
    const fetched = toFetchedSections(await on.fetchSections(USCC, signal()), sha256Hex, { uscc: USCC });
    expect(fetched.administrativePenalties?.ok && fetched.administrativePenalties.value[0]?.key).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('ShixinCheck/GetList', () => {
  it('keys by Anno (NFKC), listed on Publicdate', async () => {
    fake.companies.set(USCC, { baseInfo: qccBaseInfo(USCC), exceptions: [], seriousIllegal: [], shixin: [shixin(12)] });
    const fetched = toFetchedSections(await on.fetchSections(USCC, signal()), sha256Hex, { uscc: USCC });
    expect(fetched.dishonestDebtors).toMatchObject({
      ok: true,
      value: [{ key: '(2023)粤0305执12号', listedOn: '2023-06-01', reason: '有履行能力而拒不履行生效法律文书确定义务', authority: '深圳市南山区人民法院', removedOn: null }],
    });
  });

  it('falls back to Liandate when Publicdate is ""', async () => {
    fake.companies.set(USCC, { baseInfo: qccBaseInfo(USCC), exceptions: [], seriousIllegal: [], shixin: [{ ...shixin(1), Publicdate: '' }] });
    const fetched = toFetchedSections(await on.fetchSections(USCC, signal()), sha256Hex, { uscc: USCC });
    expect(fetched.dishonestDebtors?.ok && fetched.dishonestDebtors.value[0]?.listedOn).toBe('2023-03-01');
  });

  it.each(['verify0', '201'] as const)('no data (%s) is an empty list', async (form) => {
    fake.options.noDataForm = form;
    try {
      fake.companies.set(USCC, { baseInfo: qccBaseInfo(USCC), exceptions: [], seriousIllegal: [] });
      const sections = toFetchedSections(await on.fetchSections(USCC, signal()), sha256Hex, { uscc: USCC });
      expect(sections.dishonestDebtors).toEqual({ ok: true, value: [] });
      expect(sections.administrativePenalties).toEqual({ ok: true, value: [] });
    } finally {
      fake.options.noDataForm = 'verify0';
    }
  });

  it.each([
    ['122', 'rate_limited'],
    ['112', 'quota'],
  ] as const)('Status %s on ShixinCheck fails only that section as %s', async (status, kind) => {
    fake.companies.set(USCC, { baseInfo: qccBaseInfo(USCC), exceptions: [], seriousIllegal: [], shixin: [shixin(1)] });
    fake.failWith(status, { path: '/ShixinCheck/GetList' });
    const sections = await on.fetchSections(USCC, signal());
    expect(sections.dishonestDebtors).toMatchObject({ ok: false, error: { kind } });
    const read = toFetchedSections(sections, sha256Hex, { uscc: USCC });
    expect(read.registration.ok && read.administrativePenalties?.ok).toBe(true);
  });
});
