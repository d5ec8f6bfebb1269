import { describe, expect, it } from 'vitest';
import { NormaliseError } from '../../src/domain/normalise-error.js';
import {
  entryKey,
  NORMALISER_VERSION,
  normaliseEntries,
  normaliseRegistration,
} from '../../src/domain/normalise.js';
import { rawEntry, rawRegistration, sha256 } from './domain-fixtures.js';

describe('normaliseRegistration', () => {
  it('normalises every field', () => {
    expect(normaliseRegistration(rawRegistration())).toEqual({
      name: '深圳市腾讯计算机系统有限公司',
      status: 'active',
      statusRaw: '存续(在营、开业、在册)',
      legalRepresentative: '马化腾',
      registeredCapital: { amount: 65_000_000, currency: 'CNY' },
      address: '深圳市南山区粤海街道麻岭社区科技中一路腾讯大厦35层',
      businessScope: '计算机软、硬件的设计、技术开发、销售',
      establishedOn: '1998-11-11',
    });
  });

  it.each([
    { name: 'full-width and spaces in the name', overrides: { name: ' 深圳市腾讯计算机系统有限公司\u3000' } },
    { name: 'half-width status brackets', overrides: { statusText: '存续(在营、开业、在册)' } },
    { name: 'capital spelled differently', overrides: { registeredCapitalText: '6500.000000万元人民币' } },
    { name: 'capital with separators', overrides: { registeredCapitalText: '6,500 万元' } },
    { name: 'date as epoch ms', overrides: { establishedOn: 910713600000 } },
    { name: 'date with time', overrides: { establishedOn: '1998-11-11 00:00:00.0' } },
    { name: 'date in Chinese', overrides: { establishedOn: '1998年11月11日' } },
    { name: 'scope with line breaks and tabs', overrides: { businessScope: '\t计算机软、硬件的设计、技术开发、销售\r\n' } },
    { name: 'address with full-width digits', overrides: { address: '深圳市南山区粤海街道麻岭社区科技中一路腾讯大厦３５层' } },
  ])('formatting noise is no change: $name', ({ overrides }) => {
    expect(normaliseRegistration(rawRegistration(overrides))).toEqual(normaliseRegistration(rawRegistration()));
  });

  it('turns placeholders into null', () => {
    const result = normaliseRegistration(
      rawRegistration({ legalRepresentative: '-', registeredCapitalText: '', address: '—', businessScope: null, establishedOn: '-' }),
    );
    expect(result).toMatchObject({ legalRepresentative: null, registeredCapital: null, address: null, businessScope: null, establishedOn: null });
  });

  it('rejects an empty name and an unreadable date', () => {
    expect(() => normaliseRegistration(rawRegistration({ name: ' ' }))).toThrow(NormaliseError);
    expect(() => normaliseRegistration(rawRegistration({ establishedOn: 'soon' }))).toThrow(/^establishedOn: /);
  });
});

describe('normaliseEntries', () => {
  const a = rawEntry();

  it.each([
    { name: 'a listing date before 2000', entry: rawEntry({ listedOn: '1999-12-31' }), field: 'listedOn' },
    { name: 'epoch ms of a 1970 day', entry: rawEntry({ listedOn: 1_700_000 }), field: 'listedOn' },
    { name: 'a removal date before 2000', entry: rawEntry({ removedOn: '1970-01-21' }), field: 'removedOn' },
  ])('fails the section on $name', ({ entry, field }) => {
    expect(() => normaliseEntries([entry], sha256)).toThrow(new RegExp(`^${field}: `));
  });

  it('reads epoch seconds as the same day as the date text, so the key does not change', () => {
    expect(normaliseEntries([rawEntry({ listedOn: 1795104000 })], sha256)).toEqual(normaliseEntries([rawEntry({ listedOn: '2026-11-20' })], sha256));
  });
  const b = rawEntry({ listedOn: '2025-07-10', reason: '未依照《企业信息公示暂行条例》第八条规定的期限公示年度报告的' });

  it('keys an entry by the hash of date, normalised reason and authority', () => {
    const [entry] = normaliseEntries([a], sha256);
    expect(entry).toEqual({
      key: entryKey(sha256, '2026-11-20', '通过登记的住所或者经营场所无法联系的', '深圳市市场监督管理局'),
      listedOn: '2026-11-20',
      reason: '通过登记的住所或者经营场所无法联系的',
      authority: '深圳市市场监督管理局',
      removedOn: null,
      removalReason: null,
      missingReads: 0,
    });
    expect(entry?.key).toMatch(/^[0-9a-f]{64}$/);
  });

  it('uses the provider record id when there is one', () => {
    expect(normaliseEntries([rawEntry({ recordId: ' 31612939559 ' })], sha256)[0]?.key).toBe('31612939559');
  });

  it('keeps the key when the entry gains a removal date', () => {
    const removed = rawEntry({ removedOn: '2027-01-05', removalReason: '依法补报了年度报告' });
    expect(normaliseEntries([removed], sha256)[0]?.key).toBe(normaliseEntries([a], sha256)[0]?.key);
  });

  it('sorts by key', () => {
    const keys = normaliseEntries([a, b], sha256).map((e) => e.key);
    expect(keys).toEqual([...keys].sort());
  });

  it.each([
    { name: 'reordered', noisy: [b, a] },
    { name: 'full-width reason', noisy: [rawEntry({ reason: '通过登记的住所或者经营场所无法联系的\u3000' }), b] },
    { name: 'date as epoch ms', noisy: [rawEntry({ listedOn: 1795104000000 }), b] },
    { name: 'date as numeric string', noisy: [rawEntry({ listedOn: '1795104000000' }), b] },
    { name: 'date with time', noisy: [rawEntry({ listedOn: '2026-11-20 00:00:00' }), b] },
    { name: 'authority with spaces', noisy: [rawEntry({ authority: '\u3000深圳市市场监督管理局 ' }), b] },
    { name: 'placeholders for removal', noisy: [rawEntry({ removedOn: '-', removalReason: '--' }), b] },
    { name: 'duplicated', noisy: [a, b, a, b] },
  ])('formatting noise is no change: $name', ({ noisy }) => {
    expect(normaliseEntries(noisy, sha256)).toEqual(normaliseEntries([a, b], sha256));
  });

  it('merges duplicates of one key the same way whatever their order', () => {
    const plain = rawEntry({ recordId: 'r1' });
    const removed = rawEntry({ recordId: 'r1', removedOn: '2027-01-05', removalReason: '已补报' });
    const merged = normaliseEntries([plain, removed], sha256);
    expect(merged).toEqual(normaliseEntries([removed, plain], sha256));
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ key: 'r1', removedOn: '2027-01-05', removalReason: '已补报' });
  });

  it('rejects an unreadable listing date rather than changing the key', () => {
    expect(() => normaliseEntries([rawEntry({ listedOn: 'unknown' })], sha256)).toThrow(/^listedOn: /);
  });

  it('is version 2', () => {
    expect(NORMALISER_VERSION).toBe(2);
  });
});
