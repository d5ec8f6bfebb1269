/**
 * Every published body in test/fixtures/providers/ (copied from ../shared/fixtures/providers; its
 * README says where each comes from) read by the adapter's table row for the section it would answer:
 * the relevant ones into correct sections, the others into a clear typed error. A `result-only`
 * body is wrapped in the success envelope it was published without.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toFetchedSections } from '../../../src/domain/fetched-sections.js';
import type { ProviderError, RawSections, SectionResult } from '../../../src/domain/sections.js';
import { sha256Hex } from '../../../src/wiring/check-deps.js';
import type { PageResult } from '../../../src/providers/fetch-all-pages.js';
import { readQccEnvelope } from '../../../src/providers/qichacha/qichacha-envelope.js';
import { QICHACHA_SECTIONS } from '../../../src/providers/qichacha/qichacha-sections.js';
import { readListPage, readRegistration, type Envelope, type PagedEntry, type SectionTable } from '../../../src/providers/section-table.js';
import { readTycEnvelope } from '../../../src/providers/tianyancha/tianyancha-envelope.js';
import { TIANYANCHA_SECTIONS } from '../../../src/providers/tianyancha/tianyancha-sections.js';

const DIR = new URL('../../fixtures/providers/', import.meta.url);
const ASKED = '91440300708461136T'; // a code none of the bodies names

function load(file: string): unknown {
  const body = JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as unknown;
  if (!file.includes('result-only')) return body;
  return file.startsWith('tianyancha/') ? { error_code: 0, reason: 'ok', result: body } : { Status: '200', Message: '查询成功', Result: body };
}

type Expect = { ok: true; check?: (value: Record<string, unknown>) => void; entries?: number } | { ok: false; kind: ProviderError['kind'] };
type Row = { file: string; section: 'registration' | 'list' | 'penalties' | 'dishonest'; uscc?: string; expect: Expect };

/** Runs the section through the domain as the core would, so dates are checked normalised. */
function registration(raw: RawSections['registration'], uscc: string) {
  const sections = { registration: raw, abnormalOperations: { ok: true, value: [] }, seriousViolations: { ok: true, value: [] } } as RawSections;
  return toFetchedSections(sections, sha256Hex, { uscc }).registration;
}
function list(raw: PageResult<PagedEntry>) {
  const abnormalOperations = raw.ok ? { ok: true, value: raw.page.items.map((read) => read.entry) } : raw;
  const sections = { registration: { ok: false, error: { kind: 'transient', message: '' } }, abnormalOperations, seriousViolations: { ok: true, value: [] } } as RawSections;
  return toFetchedSections(sections, sha256Hex).abnormalOperations;
}

/** The body read by the section's row of the adapter's table, as the provider shell reads it. */
function readAs(table: SectionTable, section: Row['section'], envelope: Envelope, uscc: string, file: string) {
  if (section === 'registration') return registration(readRegistration(table.registration, envelope, file), uscc);
  const name = section === 'penalties' ? 'administrativePenalties' : section === 'dishonest' ? 'dishonestDebtors' : 'abnormalOperations';
  return list(readListPage(table[name], envelope, file));
}

function verify(result: SectionResult<unknown>, expected: Expect): void {
  if (!expected.ok) {
    expect(result).toMatchObject({ ok: false, error: { kind: expected.kind, message: expect.any(String) } });
    return;
  }
  expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
  if (!result.ok) return;
  if (expected.entries !== undefined) expect(result.value).toHaveLength(expected.entries);
  expected.check?.(result.value as Record<string, unknown>);
}

const active = (name: string, established: string | null) => (value: Record<string, unknown>) => {
  expect(value).toMatchObject({ name, status: 'active', establishedOn: established });
};

const TIANYANCHA: Row[] = [
  { file: 'baseinfo-entityType1-company-active-listed.iddc-doc.result-only.json', section: 'registration', uscc: '9150000020286320X6', expect: { ok: true, check: (v) => { expect(v).toMatchObject({ status: 'active', establishedOn: '1996-10-31' }); } } },
  { file: 'baseinfo-entityType2-hk-still-registered.iddc-doc.result-only.json', section: 'registration', expect: { ok: false, kind: 'invalid_response' } },
  { file: 'baseinfo-entityType3-social-org-normal.iddc-doc.result-only.json', section: 'registration', uscc: '51210100508206173F', expect: { ok: true, check: active('沈阳市工商行政管理学会', '2000-09-04') } },
  { file: 'baseinfo-normal-active-listed.result-wrapper-no-error_code.json', section: 'registration', uscc: '91520000214434146R', expect: { ok: true, check: (v) => { expect(v).toMatchObject({ status: 'active', establishedOn: '1996-11-14' }); } } },
  { file: 'baseinfoV2-2.0-active-nulls-full-envelope.json', section: 'registration', uscc: '91610133MA6U3N7RXE', expect: { ok: true, check: (v) => { expect(v).toMatchObject({ status: 'active', establishedOn: '2017-04-12' }); } } },
  { file: 'baseinfo-active-toTime-set.result-only.json', section: 'registration', uscc: '91350203065880862R', expect: { ok: true, check: (v) => { expect(v).toMatchObject({ status: 'active', establishedOn: '2013-05-22' }); } } },
  { file: 'baseinfoV2-2.0-active-nulls-full-envelope.json', section: 'registration', expect: { ok: false, kind: 'invalid_response' } },
  { file: 'abnormal-two-entries-both-removed.iddc-doc.json', section: 'list', expect: { ok: true, entries: 2, check: (v) => { expect(v).toEqual(expect.arrayContaining([expect.objectContaining({ listedOn: '2015-07-14', removedOn: '2016-04-15' })])); } } },
  { file: 'abnormal-v4-two-entries-removed-with-id.json', section: 'list', expect: { ok: true, entries: 2 } },
  { file: 'illegal-one-in-force-removeDate-null.iddc-doc.json', section: 'list', expect: { ok: true, entries: 1, check: (v) => { expect(v).toEqual([expect.objectContaining({ listedOn: '2016-09-02', removedOn: null })]); } } },
  { file: 'illegal-one-in-force.test-fixture-comment.json', section: 'list', expect: { ok: true, entries: 1, check: (v) => { expect(v).toEqual([expect.objectContaining({ listedOn: '2019-07-24' })]); } } },
  { file: 'illegal-v3-legacy-count-no-removeDate-key.json', section: 'list', expect: { ok: true, entries: 1, check: (v) => { expect(v).toEqual([expect.objectContaining({ removedOn: null })]); } } },
  // Read as a list of their own section, the optional bodies parse; as an abnormal list they do not.
  { file: 'punishmentInfo-3.0-twenty-items-total-1.json', section: 'list', expect: { ok: false, kind: 'invalid_response' } },
  { file: 'punishmentInfo-3.0-twenty-items-total-1.json', section: 'penalties', expect: { ok: true, entries: 20, check: (v) => { expect(v).toEqual(expect.arrayContaining([expect.objectContaining({ key: '京海市监罚字〔2021〕18号', listedOn: '2021-01-11', reason: expect.stringContaining('罚款30000元'), authority: '北京市海淀区市场监督管理局', removedOn: null })])); } } },
  { file: 'punishment-one-item-string-dates.iddc-doc.json', section: 'list', expect: { ok: false, kind: 'invalid_response' } },
  { file: 'punishment-one-item-string-dates.iddc-doc.json', section: 'penalties', expect: { ok: true, entries: 1, check: (v) => { expect(v).toEqual([expect.objectContaining({ key: '德工商处字(2015)303 号', listedOn: '2015-10-14', reason: expect.stringContaining('罚款0.1万元'), authority: '福建省德化县工商行政管理局' })]); } } },
  { file: 'dishonest-two-of-four-string-ms-pageNum.iddc-doc.json', section: 'list', expect: { ok: false, kind: 'invalid_response' } },
  { file: 'dishonest-two-of-four-string-ms-pageNum.iddc-doc.json', section: 'dishonest', expect: { ok: true, entries: 2, check: (v) => { expect(v).toEqual(expect.arrayContaining([expect.objectContaining({ key: '(2018)津0103执1265号', listedOn: '2018-07-23', reason: '有履行能力而拒不履行生效法律文书确定义务', authority: '天津市河西区人民法院' }), expect.objectContaining({ key: '(2017)津0103执1606号', listedOn: '2017-07-28' })])); } } },
  { file: 'dishonest-v3-legacy-num-pageSize.json', section: 'list', expect: { ok: false, kind: 'invalid_response' } },
  { file: 'dishonest-v3-legacy-num-pageSize.json', section: 'dishonest', expect: { ok: true, entries: 1, check: (v) => { expect(v).toEqual([expect.objectContaining({ key: '(2013)西法执字第01218号', listedOn: '2013-10-09', reason: '其他有履行能力而拒不履行生效法律文书确定义务', authority: '天津市河西区人民法院' })]); } } },
  { file: 'error-300000-no-data.third-party-mock.json', section: 'dishonest', expect: { ok: true, entries: 0 } },
  { file: 'search-three-of-56-highlighted-names.iddc-doc.json', section: 'registration', expect: { ok: false, kind: 'invalid_response' } },
  { file: 'error-300000-no-data.third-party-mock.json', section: 'registration', expect: { ok: true, check: (v) => { expect(v).toEqual({ notFound: true }); } } },
  { file: 'error-300000-no-data.third-party-mock.json', section: 'list', expect: { ok: true, entries: 0 } },
  { file: 'error-300004-rate-limited.third-party-mock.json', section: 'list', expect: { ok: false, kind: 'rate_limited' } },
  { file: 'error-300006-insufficient-balance.third-party-mock.json', section: 'registration', expect: { ok: false, kind: 'quota' } },
];

const QICHACHA: Row[] = [
  { file: 'deadbeatcheck-status-200-verifyresult-0-data-null.json', section: 'list', expect: { ok: true, entries: 0 } },
  // The published no-data form of a *Check endpoint, as ShixinCheck and AdminPenaltyCheck answer it.
  { file: 'deadbeatcheck-status-200-verifyresult-0-data-null.json', section: 'dishonest', expect: { ok: true, entries: 0 } },
  { file: 'deadbeatcheck-status-200-verifyresult-0-data-null.json', section: 'penalties', expect: { ok: true, entries: 0 } },
  { file: 'status-201-legacy-ordernumber-null.json', section: 'penalties', expect: { ok: true, entries: 0 } },
  { file: 'status-112-quota-exhausted.json', section: 'dishonest', expect: { ok: false, kind: 'quota' } },
  { file: 'eciexception-getopexception-legacy.qcc-compatible-proxy-doc.json', section: 'list', expect: { ok: true, entries: 1, check: (v) => { expect(v).toEqual([expect.objectContaining({ listedOn: '2015-07-08', removedOn: '2016-01-29', removalReason: expect.stringContaining('申请移出') })]); } } },
  { file: 'eciinfoverify-getinfo-cancelled-revokeinfo.json', section: 'registration', expect: { ok: false, kind: 'invalid_response' } },
  { file: 'ecithreeelverify-verifyresult-1.json', section: 'registration', expect: { ok: false, kind: 'invalid_response' } },
  { file: 'ecithreeelverify-verifyresult-1.json', section: 'list', expect: { ok: false, kind: 'invalid_response' } },
  { file: 'eciv4-getdetailsbyname-legacy.result-only-partial.json', section: 'registration', uscc: '9111010859963405XW', expect: { ok: true, check: active('北京小桔科技有限公司', '2012-07-10') } },
  { file: 'eciv4-getdetailsbyname-legacy.result-only-partial.json', section: 'registration', expect: { ok: false, kind: 'invalid_response' } },
  { file: 'eciv4-search-one-result.json', section: 'registration', expect: { ok: false, kind: 'invalid_response' } },
  { file: 'eciv4-search-paging-2-of-250.json', section: 'registration', expect: { ok: false, kind: 'invalid_response' } },
  { file: 'eciv4-search-result-only-T-dates.json', section: 'list', expect: { ok: false, kind: 'invalid_response' } },
  { file: 'enterpriseinfo-verify-2001-official-doc-masked.json', section: 'registration', expect: { ok: false, kind: 'invalid_response' } },
  { file: 'fuzzysearch-886-official-doc-masked.json', section: 'registration', expect: { ok: false, kind: 'invalid_response' } },
  { file: 'status-112-quota-exhausted.json', section: 'registration', expect: { ok: false, kind: 'quota' } },
  { file: 'status-201-eci-search-paging-null.json', section: 'registration', expect: { ok: true, check: (v) => { expect(v).toEqual({ notFound: true }); } } },
  { file: 'status-201-legacy-ordernumber-null.json', section: 'list', expect: { ok: true, entries: 0 } },
];

describe('天眼查 published bodies', () => {
  it.each(TIANYANCHA.map((row) => ({ ...row, name: `${row.file} as ${row.section}` })))('$name', ({ file, section, uscc, expect: expected }) => {
    const answer = readTycEnvelope({ status: 200, body: load(`tianyancha/${file}`) }, file);
    verify(readAs(TIANYANCHA_SECTIONS, section, answer, uscc ?? ASKED, file), expected);
  });
});

describe('企查查 published bodies', () => {
  it.each(QICHACHA.map((row) => ({ ...row, name: `${row.file} as ${row.section}` })))('$name', ({ file, section, uscc, expect: expected }) => {
    const answer = readQccEnvelope({ status: 200, body: load(`qichacha/${file}`) }, file, Date.now());
    verify(readAs(QICHACHA_SECTIONS, section, answer, uscc ?? ASKED, file), expected);
  });
});

it('every fixture file is covered by a row', async () => {
  const { readdirSync } = await import('node:fs');
  for (const [dir, rows] of [['tianyancha', TIANYANCHA], ['qichacha', QICHACHA]] as const) {
    const files = readdirSync(new URL(`${dir}/`, DIR)).filter((f) => f.endsWith('.json'));
    expect(files.filter((f) => !rows.some((row) => row.file === f))).toEqual([]);
  }
});
