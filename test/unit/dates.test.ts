import { describe, expect, it } from 'vitest';
import { parseDate, shanghaiDay, toIsoDate } from '../../src/domain/dates.js';
import { NormaliseError } from '../../src/domain/normalise-error.js';

// vitest.config sets TZ=UTC, so these only pass if Asia/Shanghai is applied explicitly.
describe('toIsoDate', () => {
  it.each([
    { name: 'epoch ms at Beijing midnight, new year', raw: 1577808000000, iso: '2020-01-01' },
    { name: 'one ms before Beijing new year', raw: 1577807999999, iso: '2019-12-31' },
    { name: 'epoch ms at Beijing midnight, first of month', raw: 1604160000000, iso: '2020-11-01' },
    { name: 'epoch ms at Beijing midnight, 2026-11-20', raw: 1795104000000, iso: '2026-11-20' },
    { name: 'epoch ms during China DST (1988)', raw: 581184000000, iso: '1988-06-02' },
    { name: 'epoch ms before 1970', raw: -315648000000, iso: '1960-01-01' },
    { name: 'numeric string of ms', raw: '1551156181658', iso: '2019-02-26' },
    { name: 'epoch seconds', raw: 1700000000, iso: '2023-11-15' },
    { name: 'epoch seconds at Beijing midnight', raw: 1795104000, iso: '2026-11-20' },
    { name: 'numeric string of seconds', raw: '1700000000', iso: '2023-11-15' },
    { name: 'numeric string of ms, full-width', raw: '１５７７８０８００００００', iso: '2020-01-01' },
    { name: 'ISO date', raw: '2026-11-20', iso: '2026-11-20' },
    { name: 'date and time', raw: '2026-11-20 00:00:00', iso: '2026-11-20' },
    { name: 'date, time and .0', raw: '2026-11-20 00:00:00.0', iso: '2026-11-20' },
    { name: 'date T time', raw: '2026-11-20T00:00:00', iso: '2026-11-20' },
    { name: 'late Beijing wall-clock time stays that day', raw: '2026-11-20 23:59:59', iso: '2026-11-20' },
    { name: 'UTC instant is converted to Beijing', raw: '2019-12-31T16:00:00Z', iso: '2020-01-01' },
    { name: 'instant with +08:00', raw: '2026-11-20T00:00:00+08:00', iso: '2026-11-20' },
    { name: 'slashes', raw: '2026/11/20', iso: '2026-11-20' },
    { name: 'slashes without padding', raw: '2026/1/5', iso: '2026-01-05' },
    { name: 'Chinese', raw: '2026年11月20日', iso: '2026-11-20' },
    { name: 'Chinese, full-width digits', raw: '２０２６年１１月２０日', iso: '2026-11-20' },
    { name: 'compact', raw: '20261120', iso: '2026-11-20' },
    { name: 'leap day', raw: '2024-02-29', iso: '2024-02-29' },
    { name: 'surrounding white space', raw: ' 2026-11-20\u3000', iso: '2026-11-20' },
  ])('$name: $raw → $iso', ({ raw, iso }) => {
    expect(toIsoDate(raw)).toBe(iso);
  });

  it.each([null, '', '-', '  ', '—', '无', 'null', '0000-00-00', '0000-00-00 00:00:00'])('%j is absent', (raw) => {
    expect(toIsoDate(raw)).toBeNull();
    expect(parseDate(raw)).toEqual({ ok: true, date: null });
  });

  it.each([
    'yesterday',
    '2026-13-01',
    '2023-02-29',
    '2026-11-32',
    '20261340',
    '11/20/2026',
    '1800-01-01',
    1.5,
    Number.NaN,
    8.64e15,
  ])('%j is not a date: parseDate says why, toIsoDate throws', (raw) => {
    const result = parseDate(raw);
    expect(result.ok).toBe(false);
    expect(() => toIsoDate(raw, 'listedOn')).toThrow(NormaliseError);
    expect(() => toIsoDate(raw, 'listedOn')).toThrow(/^listedOn: /);
  });
});

describe('shanghaiDay', () => {
  it.each([
    { at: '2026-11-27T15:59:59.999Z', day: '2026-11-27' },
    { at: '2026-11-27T16:00:00.000Z', day: '2026-11-28' },
    { at: '2025-12-31T16:00:00.000Z', day: '2026-01-01' },
  ])('$at is $day in Beijing', ({ at, day }) => {
    expect(shanghaiDay(Date.parse(at))).toBe(day);
  });
});
