/** TianyanchaProvider's optional sections (行政处罚, 失信被执行人) against the 天眼查 fake (run under TZ=UTC). */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toFetchedSections } from '../../../../src/domain/fetched-sections.js';
import { sha256Hex } from '../../../../src/wiring/check-deps.js';
import { createHttpClient, type HttpClient } from '../../../../src/providers/http-client.js';
import { TianyanchaProvider } from '../../../../src/providers/tianyancha/tianyancha-provider.js';
import { beijingMidnightMs, startTianyanchaFake, tycBaseInfo, type TianyanchaFake, type WireObject } from '../../../helpers/tianyancha-fake.js';
import { validUscc } from '../../../helpers/valid-uscc.js';

const USCC = validUscc(511);
const PUNISH = '/services/open/mr/punishmentInfo/3.0';
const DISHONEST = '/services/open/jr/dishonest/2.0';
let fake: TianyanchaFake;
let http: HttpClient;
let off: TianyanchaProvider;
let on: TianyanchaProvider;

/** A v3 penalty in wire form: "YYYY-MM-DD" dates, "" and "——" for nothing, no id. */
const penalty = (n: number) => ({
  departmentName: '北京市海淀区市场监督管理局',
  punishNumber: `京海市监罚字〔2021〕${n}号`,
  decisionDate: '2021-01-11',
  reason: '违反了《中华人民共和国广告法》第三十四条第二款的规定',
  content: '罚款30000元。',
  type: '罚款',
  remark: '——',
  source: '国家市场监督管理总局',
  evidence: '',
});

/** A dishonest record with dates as strings of ms and the camelCase behaviour key (doc sample). */
const dishonest = (n: number, day = '2018-07-23') => ({
  iname: '示例科技有限公司',
  casecode: `(2018)津0103执${1000 + n}号`,
  courtname: '天津市河西区人民法院',
  disruptTypeName: '有履行能力而拒不履行生效法律文书确定义务',
  performance: null,
  publishdate: String(beijingMidnightMs(day)),
  regdate: String(beijingMidnightMs('2018-03-02')),
  id: '196602058',
  type: '1',
});

beforeAll(async () => {
  fake = await startTianyanchaFake();
  http = createHttpClient();
  off = new TianyanchaProvider({ token: fake.token, baseUrl: fake.url, http });
  on = new TianyanchaProvider({ token: fake.token, baseUrl: fake.url, http, sections: { administrativePenalties: true, dishonestDebtors: true, annualReports: false } });
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
const calls = (path: string) => fake.requests.filter((r) => r.path === path).map((r) => r.query.get('pageNum'));

describe('off by default', () => {
  it('makes no call for them and leaves them out of the answer', async () => {
    fake.companies.set(USCC, { baseInfo: tycBaseInfo(USCC), abnormal: [], illegal: [], punishment: [penalty(1)], dishonest: [dishonest(1)] });
    const sections = await off.fetchSections(USCC, signal());
    expect(Object.keys(sections).sort()).toEqual(['abnormalOperations', 'registration', 'seriousViolations']);
    expect(calls(PUNISH)).toEqual([]);
    expect(calls(DISHONEST)).toEqual([]);
  });
});

describe('administrative penalties (mr/punishmentInfo/3.0)', () => {
  it('reads 45 penalties although every page says total 1, stopping at the short page', async () => {
    const items = Array.from({ length: 45 }, (_, i) => penalty(i + 1));
    fake.companies.set(USCC, { baseInfo: tycBaseInfo(USCC), abnormal: [], illegal: [], punishment: items });
    const fetched = toFetchedSections(await on.fetchSections(USCC, signal()), sha256Hex, { uscc: USCC });
    expect(fetched.administrativePenalties?.ok && fetched.administrativePenalties.value.length).toBe(45);
    expect(calls(PUNISH)).toEqual(['1', '2', '3']);
  });

  it('a full last page costs one more call, answered 300000, and the list is still whole', async () => {
    fake.companies.set(USCC, { baseInfo: tycBaseInfo(USCC), abnormal: [], illegal: [], punishment: Array.from({ length: 20 }, (_, i) => penalty(i + 1)) });
    const fetched = toFetchedSections(await on.fetchSections(USCC, signal()), sha256Hex, { uscc: USCC });
    expect(fetched.administrativePenalties?.ok && fetched.administrativePenalties.value.length).toBe(20);
    expect(calls(PUNISH)).toEqual(['1', '2']);
  });

  it('keys by decision number, dates as sent, text = violation and penalty', async () => {
    fake.companies.set(USCC, { baseInfo: tycBaseInfo(USCC), abnormal: [], illegal: [], punishment: [penalty(18)] });
    const fetched = toFetchedSections(await on.fetchSections(USCC, signal()), sha256Hex, { uscc: USCC });
    expect(fetched.administrativePenalties).toEqual({
      ok: true,
      value: [{
        key: '京海市监罚字〔2021〕18号',
        listedOn: '2021-01-11',
        reason: '违反了《中华人民共和国广告法》第三十四条第二款的规定;罚款30000元。',
        authority: '北京市海淀区市场监督管理局',
        removedOn: null,
        removalReason: null,
        missingReads: 0,
      }],
    });
  });

  it('a provider that ignores pageNum (page 2 = page 1) fails the section, not the check', async () => {
    fake.companies.set(USCC, { baseInfo: tycBaseInfo(USCC), abnormal: [], illegal: [], punishment: [] });
    const page = { error_code: 0, reason: 'ok', result: { total: 1, items: Array.from({ length: 20 }, (_, i) => penalty(i)) } };
    fake.override({ path: PUNISH, body: page, times: 5 });
    const sections = await on.fetchSections(USCC, signal());
    expect(sections.administrativePenalties).toMatchObject({ ok: false, error: { kind: 'invalid_response', message: expect.stringContaining('repeats') } });
    expect(sections.registration.ok).toBe(true);
  });

  it('300000 is an empty list', async () => {
    fake.companies.set(USCC, { baseInfo: tycBaseInfo(USCC), abnormal: [], illegal: [] });
    expect(toFetchedSections(await on.fetchSections(USCC, signal()), sha256Hex, { uscc: USCC }).administrativePenalties).toEqual({ ok: true, value: [] });
  });
});

describe('dishonest debtors (jr/dishonest/2.0)', () => {
  it('reads 45 records over three pages; ms strings are Beijing days; both spellings of the behaviour', async () => {
    const items: WireObject[] = Array.from({ length: 45 }, (_, i) => dishonest(i, '2024-01-01'));
    const legacy = { ...dishonest(99, '2024-03-01'), disruptTypeName: undefined, disrupttypename: '其他有履行能力而拒不履行生效法律文书确定义务', publishdate: beijingMidnightMs('2024-03-01') };
    items[44] = legacy;
    fake.companies.set(USCC, { baseInfo: tycBaseInfo(USCC), abnormal: [], illegal: [], dishonest: items });
    const fetched = toFetchedSections(await on.fetchSections(USCC, signal()), sha256Hex, { uscc: USCC });
    expect(calls(DISHONEST)).toEqual(['1', '2', '3']);
    const value = fetched.dishonestDebtors?.ok ? fetched.dishonestDebtors.value : [];
    expect(value).toHaveLength(45);
    expect(value.find((e) => e.key === '(2018)津0103执1000号')).toMatchObject({ listedOn: '2024-01-01', authority: '天津市河西区人民法院', reason: '有履行能力而拒不履行生效法律文书确定义务' });
    expect(value.find((e) => e.key === '(2018)津0103执1099号')).toMatchObject({ listedOn: '2024-03-01', reason: '其他有履行能力而拒不履行生效法律文书确定义务' });
  });

  it('the publication date falls back to the filing date', async () => {
    fake.companies.set(USCC, { baseInfo: tycBaseInfo(USCC), abnormal: [], illegal: [], dishonest: [{ ...dishonest(1), publishdate: '' }] });
    const fetched = toFetchedSections(await on.fetchSections(USCC, signal()), sha256Hex, { uscc: USCC });
    expect(fetched.dishonestDebtors?.ok && fetched.dishonestDebtors.value[0]?.listedOn).toBe('2018-03-02');
  });

  it.each([
    [300004, 'rate_limited'],
    [300006, 'quota'],
    [300001, 'transient'],
  ] as const)('error_code %i on the dishonest list fails only that section as %s', async (code, kind) => {
    fake.companies.set(USCC, { baseInfo: tycBaseInfo(USCC), abnormal: [], illegal: [], dishonest: [dishonest(1)] });
    fake.failWith(code, { path: DISHONEST });
    const sections = await on.fetchSections(USCC, signal());
    expect(sections.dishonestDebtors).toMatchObject({ ok: false, error: { kind } });
    const read = toFetchedSections(sections, sha256Hex, { uscc: USCC });
    expect(read.administrativePenalties).toEqual({ ok: true, value: [] });
    expect(read.abnormalOperations.ok).toBe(true);
  });
});
