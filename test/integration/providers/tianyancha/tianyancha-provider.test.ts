/** TianyanchaProvider against the 天眼查 fake over real HTTP on 127.0.0.1 (run under TZ=UTC). */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toFetchedSections } from '../../../../src/domain/fetched-sections.js';
import type { RawSections } from '../../../../src/domain/sections.js';
import { sha256Hex } from '../../../../src/wiring/check-deps.js';
import { createHttpClient, type HttpClient } from '../../../../src/providers/http-client.js';
import { TianyanchaProvider } from '../../../../src/providers/tianyancha/tianyancha-provider.js';
import { beijingMidnightMs, startTianyanchaFake, tycBaseInfo, type TianyanchaFake } from '../../../helpers/tianyancha-fake.js';
import { validUscc } from '../../../helpers/valid-uscc.js';

const USCC = validUscc(501);
const OTHER = validUscc(502);
let fake: TianyanchaFake;
let http: HttpClient;
let provider: TianyanchaProvider;

const abnormal = (n: number) => ({
  putDate: `2021-${String((n % 12) + 1).padStart(2, '0')}-01`,
  putReason: `未按照规定报送年度报告 ${n}`,
  putDepartment: '某市市场监督管理局',
  removeDate: '',
  removeReason: '',
  removeDepartment: '',
});

beforeAll(async () => {
  fake = await startTianyanchaFake();
  http = createHttpClient();
  provider = new TianyanchaProvider({ token: fake.token, baseUrl: fake.url, http });
});
afterEach(() => {
  fake.clear();
  fake.companies.clear();
});
afterAll(async () => {
  await provider.close();
  await http.close();
  await fake.close();
});

const fetch = () => provider.fetchSections(USCC, AbortSignal.timeout(10_000));
/** The answer as the core reads it: the domain turns "no data" into an empty list and refuses a foreign body. */
const read = (sections: RawSections) => toFetchedSections(sections, sha256Hex, { uscc: USCC });

describe('wire format', () => {
  it('sends the raw token, the credit code as keyword and pageNum/pageSize=20 on lists', async () => {
    fake.companies.set(USCC, { baseInfo: tycBaseInfo(USCC), abnormal: [abnormal(1)], illegal: [] });
    const sections = read(await fetch());
    expect(sections.registration.ok && sections.abnormalOperations.ok && sections.seriousViolations.ok).toBe(true);
    expect(fake.requests.every((r) => r.authorised)).toBe(true);
    const list = fake.requests.find((r) => r.path.endsWith('/mr/abnormal/2.0'));
    expect(list?.query.get('keyword')).toBe(USCC);
    expect(list?.query.get('pageNum')).toBe('1');
    expect(list?.query.get('pageSize')).toBe('20');
  });

  it('reads every page of a list of 45 entries', async () => {
    const entries = Array.from({ length: 45 }, (_, i) => abnormal(i));
    fake.companies.set(USCC, { baseInfo: tycBaseInfo(USCC), abnormal: entries, illegal: [] });
    const sections = await fetch();
    expect(sections.abnormalOperations.ok && sections.abnormalOperations.value.length).toBe(45);
    const pages = fake.requests.filter((r) => r.path.endsWith('/mr/abnormal/2.0')).map((r) => r.query.get('pageNum'));
    expect(pages).toEqual(['1', '2', '3']);
  });

  it.each([
    ['first of a month', '2024-03-01'],
    ['first of a year', '2024-01-01'],
  ])('reads epoch-ms dates as Beijing days (%s)', async (_, day) => {
    fake.companies.set(USCC, {
      baseInfo: tycBaseInfo(USCC, { estiblishTime: beijingMidnightMs(day) }),
      abnormal: [],
      illegal: [{ putDate: beijingMidnightMs(day), putReason: '被列入经营异常名录届满3年仍未履行相关义务的', putDepartment: '某省市场监督管理局', removeDate: null, removeReason: '', removeDepartment: '' }],
    });
    const fetched = toFetchedSections(await fetch(), sha256Hex, { uscc: USCC });
    expect(fetched.registration.ok && 'establishedOn' in fetched.registration.value && fetched.registration.value.establishedOn).toBe(day);
    expect(fetched.seriousViolations.ok && fetched.seriousViolations.value[0]?.listedOn).toBe(day);
  });
});

describe('no data', () => {
  it('300000 is "no such company" on registration and an empty list on the lists', async () => {
    const sections = await fetch();
    expect(sections.registration).toMatchObject({ ok: false, error: { kind: 'not_found' } });
    expect(read(sections).abnormalOperations).toEqual({ ok: true, value: [] });
    expect(read(sections).seriousViolations).toEqual({ ok: true, value: [] });
  });
});

describe('error codes', () => {
  it.each([
    [300001, 'transient'],
    [300002, 'auth'],
    [300003, 'auth'],
    [300004, 'rate_limited'],
    [300005, 'auth'],
    [300006, 'quota'],
    [300007, 'quota'],
    [300008, 'invalid_response'],
    [300009, 'auth'],
    [300010, 'invalid_response'],
    [300011, 'auth'],
    [300012, 'transient'],
    [399999, 'invalid_response'],
  ])('error_code %i fails the section as %s', async (code, kind) => {
    fake.companies.set(USCC, { baseInfo: tycBaseInfo(USCC), abnormal: [], illegal: [] });
    fake.failWith(code, { path: '/ic/baseinfo/normal' });
    const sections = await fetch();
    expect(sections.registration).toMatchObject({ ok: false, error: { kind } });
    if (kind === 'rate_limited' && !sections.registration.ok) expect(sections.registration.error.retryAfterMs).toBeUndefined();
    expect(read(sections).abnormalOperations.ok).toBe(true);
  });

  it('a wrong token is refused as auth (300009 from the fake)', async () => {
    const wrong = new TianyanchaProvider({ token: 'not-the-token', baseUrl: fake.url, http });
    const sections = await wrong.fetchSections(USCC, AbortSignal.timeout(10_000));
    expect(sections.registration).toMatchObject({ ok: false, error: { kind: 'auth' } });
    expect(JSON.stringify(sections)).not.toContain('not-the-token');
    await wrong.close();
  });

  it('a failed second page fails the whole list', async () => {
    fake.companies.set(USCC, { baseInfo: tycBaseInfo(USCC), abnormal: Array.from({ length: 45 }, (_, i) => abnormal(i)), illegal: [] });
    fake.failWith(300001, { path: '/mr/abnormal/2.0?keyword=' + USCC + '&pageNum=2' });
    const sections = await fetch();
    expect(sections.abnormalOperations).toMatchObject({ ok: false, error: { kind: 'transient' } });
    expect(sections.registration.ok).toBe(true);
  });
});

describe('malformed and foreign answers', () => {
  it('a registration for another credit code is invalid', async () => {
    fake.companies.set(USCC, { baseInfo: tycBaseInfo(OTHER), abnormal: [], illegal: [] });
    const sections = read(await fetch());
    expect(sections.registration).toMatchObject({ ok: false, error: { kind: 'invalid_response', message: expect.stringContaining('foreign') } });
  });

  it('a registration without a credit code is invalid', async () => {
    fake.companies.set(USCC, { baseInfo: tycBaseInfo(USCC, { creditCode: null }), abnormal: [], illegal: [] });
    expect(read(await fetch()).registration).toMatchObject({ ok: false, error: { kind: 'invalid_response' } });
  });

  it('an HTML error page is invalid', async () => {
    fake.override({ path: '/ic/baseinfo/normal', contentType: 'text/html; charset=utf-8', body: '<html><body>502 Bad Gateway</body></html>' });
    expect((await fetch()).registration).toMatchObject({ ok: false, error: { kind: 'invalid_response' } });
  });

  it('an HTML page labelled JSON is invalid', async () => {
    fake.override({ path: '/ic/baseinfo/normal', body: '<html><body>502 Bad Gateway</body></html>' });
    expect((await fetch()).registration).toMatchObject({ ok: false, error: { kind: 'invalid_response' } });
  });

  it.each([false, true])('truncated JSON is invalid (connection cut: %s)', async (cut) => {
    const full = JSON.stringify({ error_code: 0, reason: 'ok', result: tycBaseInfo(USCC) });
    fake.override({ path: '/ic/baseinfo/normal', body: cut ? full : full.slice(0, 80), cut });
    expect((await fetch()).registration).toMatchObject({ ok: false, error: { kind: 'invalid_response' } });
  });

  it('an HTTP 500 is transient and a 404 with a no-data code never reads as "not found"', async () => {
    fake.override({ path: '/ic/baseinfo/normal', status: 500, body: { error_code: 300001, reason: '请求失败' } });
    expect((await fetch()).registration).toMatchObject({ ok: false, error: { kind: 'transient' } });
    fake.override({ path: '/ic/baseinfo/normal', status: 404, body: { error_code: 300000, reason: '无数据' } });
    expect((await fetch()).registration).toMatchObject({ ok: false, error: { kind: 'invalid_response' } });
  });
});
