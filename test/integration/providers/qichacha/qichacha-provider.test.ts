/** QichachaProvider against the 企查查 fake over real HTTP on 127.0.0.1 (run under TZ=UTC). */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toFetchedSections } from '../../../../src/domain/fetched-sections.js';
import type { RawSections } from '../../../../src/domain/sections.js';
import { sha256Hex } from '../../../../src/wiring/check-deps.js';
import { createHttpClient, type HttpClient } from '../../../../src/providers/http-client.js';
import { nextBeijingMidnight } from '../../../../src/providers/qichacha/qichacha-codes.js';
import { QichachaProvider } from '../../../../src/providers/qichacha/qichacha-provider.js';
import { qichachaToken } from '../../../../src/providers/qichacha/qichacha-token.js';
import { qccBaseInfo, startQichachaFake, type QichachaFake } from '../../../helpers/qichacha-fake.js';
import { validUscc } from '../../../helpers/valid-uscc.js';

const USCC = validUscc(601);
const OTHER = validUscc(602);
// 2024-05-10 15:30 UTC = 23:30 in Beijing: the next Beijing midnight is 30 minutes away.
const NOW = Date.parse('2024-05-10T15:30:00Z');
let fake: QichachaFake;
let http: HttpClient;
let provider: QichachaProvider;

const exception = (n: number) => ({
  AddDate: `2021-${String((n % 12) + 1).padStart(2, '0')}-01`,
  AddReason: `未依照《企业信息公示暂行条例》第八条规定的期限公示年度报告的 ${n}`,
  DecisionOffice: '某市市场监督管理局',
  RemoveDate: '',
  RomoveReason: '',
  RemoveDecisionOffice: '',
});

beforeAll(async () => {
  fake = await startQichachaFake({ clock: () => NOW });
  http = createHttpClient();
  provider = new QichachaProvider({ key: fake.key, secret: fake.secret, baseUrl: fake.url, http, clock: () => NOW });
});
afterEach(() => {
  fake.clear();
  fake.companies.clear();
  fake.options.noDataForm = 'verify0';
  fake.options.paged = true;
});
afterAll(async () => {
  await provider.close();
  await http.close();
  await fake.close();
});

const fetch = () => provider.fetchSections(USCC, AbortSignal.timeout(10_000));
/** The answer as the core reads it: the domain turns "no data" into an empty list and refuses a foreign body. */
const read = (sections: RawSections) => toFetchedSections(sections, sha256Hex, { uscc: USCC });

it('signs as documented (worked example of the reference)', () => {
  expect(qichachaToken('demoKey', '1700000000', 'demoSecret')).toBe('9EA414825F656CE6764EC4CE7E871A11');
});

describe('wire format', () => {
  it('sends key in the query, Timespan in seconds and the Token; the secret never leaves', async () => {
    fake.companies.set(USCC, { baseInfo: qccBaseInfo(USCC), exceptions: [exception(1)], seriousIllegal: [] });
    const sections = read(await fetch());
    expect(sections.registration.ok && sections.abnormalOperations.ok && sections.seriousViolations.ok).toBe(true);
    const first = fake.requests[0];
    expect(first?.query.get('key')).toBe(fake.key);
    expect(first?.headers.timespan).toBe(String(NOW / 1000));
    expect(JSON.stringify(fake.requests.map((r) => [r.query.toString(), r.headers]))).not.toContain(fake.secret);
  });

  it.each([true, false])('reads a list of 45 entries (paged: %s), keeping RomoveReason', async (paged) => {
    fake.options.paged = paged;
    const entries = Array.from({ length: 45 }, (_, i) => exception(i));
    entries[0] = { ...exception(0), RemoveDate: '2022-01-01', RomoveReason: '已补报年度报告' };
    fake.companies.set(USCC, { baseInfo: qccBaseInfo(USCC), exceptions: entries, seriousIllegal: [] });
    const sections = await fetch();
    expect(sections.abnormalOperations.ok && sections.abnormalOperations.value.length).toBe(45);
    expect(sections.abnormalOperations.ok && sections.abnormalOperations.value[0]?.removalReason).toBe('已补报年度报告');
    const pages = fake.requests.filter((r) => r.path === '/ExceptionCheck/GetList').length;
    expect(pages).toBe(paged ? 3 : 1);
  });

  it.each([
    ['2024-01-01', '2024-01-01'],
    ['2024-03-01T00:00:00', '2024-03-01'],
    ['2024-03-01 00:00:00', '2024-03-01'],
  ])('reads date text %s as %s', async (wire, day) => {
    fake.companies.set(USCC, {
      baseInfo: qccBaseInfo(USCC, { StartDate: wire }),
      exceptions: [],
      seriousIllegal: [{ Type: '', AddReason: '提交虚假材料', AddDate: wire, AddOffice: '某省局', RemoveReason: '', RemoveDate: '', RemoveOffice: '' }],
    });
    const fetched = toFetchedSections(await fetch(), sha256Hex, { uscc: USCC });
    expect(fetched.registration.ok && 'establishedOn' in fetched.registration.value && fetched.registration.value.establishedOn).toBe(day);
    expect(fetched.seriousViolations.ok && fetched.seriousViolations.value[0]).toMatchObject({ listedOn: day, authority: '某省局' });
  });
});

describe('no data', () => {
  it.each(['verify0', '201'] as const)('unknown company: not found; empty lists in form %s', async (form) => {
    fake.options.noDataForm = form;
    const sections = await fetch();
    expect(sections.registration).toMatchObject({ ok: false, error: { kind: 'not_found' } });
    expect(read(sections).abnormalOperations).toEqual({ ok: true, value: [] });
    expect(read(sections).seriousViolations).toEqual({ ok: true, value: [] });
  });
});

describe('status codes', () => {
  const HOUR = 3_600_000;
  it.each([
    ['101', 'auth', undefined],
    ['102', 'quota', undefined],
    ['107', 'auth', undefined],
    ['109', 'rate_limited', 30 * 60_000],
    ['110', 'transient', 2 * HOUR],
    ['117', 'transient', undefined],
    ['111', 'auth', undefined],
    ['112', 'quota', undefined],
    ['116', 'rate_limited', 30 * 60_000],
    ['120', 'rate_limited', undefined],
    ['122', 'rate_limited', undefined],
    ['123', 'quota', undefined],
    ['199', 'transient', undefined],
    ['202', 'invalid_response', undefined],
    ['214', 'auth', undefined],
    ['999', 'invalid_response', undefined],
  ])('Status %s fails the section as %s', async (status, kind, retryAfterMs) => {
    fake.companies.set(USCC, { baseInfo: qccBaseInfo(USCC), exceptions: [], seriousIllegal: [] });
    fake.failWith(status, { path: '/ECIV4/' });
    const sections = await fetch();
    expect(sections.registration).toMatchObject({ ok: false, error: { kind } });
    if (!sections.registration.ok) expect(sections.registration.error.retryAfterMs).toBe(retryAfterMs);
    expect(read(sections).abnormalOperations.ok).toBe(true);
  });

  it('next Beijing midnight is computed from the clock, not the machine zone', () => {
    expect(nextBeijingMidnight(Date.parse('2024-12-31T16:00:00Z'))).toBe(Date.parse('2025-01-01T16:00:00Z'));
    expect(nextBeijingMidnight(Date.parse('2024-12-31T15:59:59Z'))).toBe(Date.parse('2024-12-31T16:00:00Z'));
  });

  it('a wrong secret gives 107, refused as auth', async () => {
    const wrong = new QichachaProvider({ key: fake.key, secret: 'wrong', baseUrl: fake.url, http, clock: () => NOW });
    expect((await wrong.fetchSections(USCC, AbortSignal.timeout(10_000))).registration).toMatchObject({ ok: false, error: { kind: 'auth' } });
    await wrong.close();
  });

  it('a clock far off gives 107 too', async () => {
    const skewed = new QichachaProvider({ key: fake.key, secret: fake.secret, baseUrl: fake.url, http, clock: () => NOW - 3_600_000 });
    expect((await skewed.fetchSections(USCC, AbortSignal.timeout(10_000))).registration).toMatchObject({ ok: false, error: { kind: 'auth' } });
    await skewed.close();
  });
});

describe('malformed and foreign answers', () => {
  it('a registration for another credit code is invalid', async () => {
    fake.companies.set(USCC, { baseInfo: qccBaseInfo(OTHER), exceptions: [], seriousIllegal: [] });
    expect(read(await fetch()).registration).toMatchObject({ ok: false, error: { kind: 'invalid_response', message: expect.stringContaining('foreign') } });
  });

  it('an HTML error page is invalid', async () => {
    fake.override({ path: '/ECIV4/', status: 502, contentType: 'text/html', body: '<html>502</html>' });
    expect((await fetch()).registration).toMatchObject({ ok: false, error: { kind: 'transient' } });
    fake.override({ path: '/ECIV4/', contentType: 'text/html', body: '<html>维护中</html>' });
    expect((await fetch()).registration).toMatchObject({ ok: false, error: { kind: 'invalid_response' } });
  });

  it('truncated JSON is invalid', async () => {
    fake.override({ path: '/ExceptionCheck/', body: '{"Status":"200","Message":"【有效请求】查询成功","Result":{"VerifyResult":1,"Data":[{"AddDate":"2021' });
    expect((await fetch()).abnormalOperations).toMatchObject({ ok: false, error: { kind: 'invalid_response' } });
  });

  it('VerifyResult 1 with Data null is invalid, not empty', async () => {
    fake.override({ path: '/ExceptionCheck/', body: { Status: '200', Message: '查询成功', OrderNumber: 'X', Result: { VerifyResult: 1, Data: null } } });
    expect((await fetch()).abnormalOperations).toMatchObject({ ok: false, error: { kind: 'invalid_response' } });
  });
});
