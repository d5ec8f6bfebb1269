import { describe, expect, it } from 'vitest';
import { anySectionFailed, isNotFound, toFetchedSections } from '../../src/domain/fetched-sections.js';
import { entryKey } from '../../src/domain/normalise.js';
import type { RawSections } from '../../src/domain/sections.js';
import { capText, MAX_FIELD_CHARS, normaliseText } from '../../src/domain/text.js';
import { rawEntry, rawRegistration, sha256, TRANSIENT } from './domain-fixtures.js';

function raw(overrides: Partial<RawSections> = {}): RawSections {
  return {
    registration: { ok: true, value: rawRegistration() },
    abnormalOperations: { ok: true, value: [rawEntry()] },
    seriousViolations: { ok: true, value: [] },
    ...overrides,
  };
}

describe('toFetchedSections', () => {
  it('normalises successful sections', () => {
    const result = toFetchedSections(raw(), sha256);
    expect(result.registration).toMatchObject({ ok: true, value: { status: 'active' } });
    expect(result.abnormalOperations).toMatchObject({ ok: true, value: [{ listedOn: '2026-11-20', missingReads: 0 }] });
    expect(anySectionFailed(result)).toBe(false);
  });

  it('turns an explicit "no such company" into a successful NotFound read', () => {
    const result = toFetchedSections(raw({ registration: { ok: false, error: { kind: 'not_found', message: '300000' } } }), sha256);
    expect(result.registration).toEqual({ ok: true, value: { notFound: true } });
    expect(result.registration.ok && isNotFound(result.registration.value)).toBe(true);
    expect(anySectionFailed(result)).toBe(false);
  });

  it('turns "no data" on a list into an empty list', () => {
    const result = toFetchedSections(raw({ seriousViolations: { ok: false, error: { kind: 'no_data', message: '201' } } }), sha256);
    expect(result.seriousViolations).toEqual({ ok: true, value: [] });
  });

  it.each([
    { name: 'transient registration', sections: { registration: { ok: false as const, error: TRANSIENT } } },
    { name: 'no_data on registration', sections: { registration: { ok: false as const, error: { kind: 'no_data' as const, message: '' } } } },
    { name: 'not_found on a list', sections: { abnormalOperations: { ok: false as const, error: { kind: 'not_found' as const, message: '' } } } },
    { name: 'rate-limited list', sections: { seriousViolations: { ok: false as const, error: { kind: 'rate_limited' as const, message: '', retryAfterMs: 1000 } } } },
  ])('keeps other failures failed: $name', ({ sections }) => {
    const result = toFetchedSections(raw(sections), sha256);
    expect(anySectionFailed(result)).toBe(true);
  });

  it('fails a section whose values cannot be normalised, as invalid_response', () => {
    const result = toFetchedSections(raw({ abnormalOperations: { ok: true, value: [rawEntry({ listedOn: 'garbage' })] } }), sha256);
    expect(result.abnormalOperations).toMatchObject({ ok: false, error: { kind: 'invalid_response' } });
    expect(result.registration.ok).toBe(true);
  });

  it('fails a registration that belongs to another company, when the code is given', () => {
    const foreign = raw({ registration: { ok: true, value: rawRegistration({ creditCode: '914403001922038216' }) } });
    expect(toFetchedSections(foreign, sha256, { uscc: '91440300708461136T' }).registration).toMatchObject({
      ok: false,
      error: { kind: 'invalid_response' },
    });
    const own = raw({ registration: { ok: true, value: rawRegistration({ creditCode: '９１４４０３００７０８４６１１３６ｔ' }) } });
    expect(toFetchedSections(own, sha256, { uscc: '91440300708461136T' }).registration.ok).toBe(true);
  });

  it('fails a registration that names no credit code, when the code is given, and reads no fields of it', () => {
    const anonymous = raw({ registration: { ok: true, value: rawRegistration({ creditCode: ' ', registeredCapitalText: '若干' }) } });
    const result = toFetchedSections(anonymous, sha256, { uscc: '91440300708461136T' });
    expect(result.registration).toMatchObject({ ok: false, error: { kind: 'invalid_response', message: expect.stringContaining('no credit code') } });
    expect(result.unreadFields).toBeUndefined();
    expect(toFetchedSections(anonymous, sha256).registration.ok).toBe(true);
  });

  it('names the code a foreign registration is for', () => {
    const foreign = raw({ registration: { ok: true, value: rawRegistration({ creditCode: '914403001922038216' }) } });
    expect(toFetchedSections(foreign, sha256, { uscc: '91440300708461136T' }).registration).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/foreign body.*914403001922038216/) },
    });
  });

  describe('a text field of megabytes', () => {
    const hugeReason = `未按规定公示${'很长的理由'.repeat(600_000)}`;

    it('is truncated and marked in the registration and in list entries, not kept whole', () => {
      const result = toFetchedSections(
        raw({
          registration: { ok: true, value: rawRegistration({ businessScope: hugeReason }) },
          abnormalOperations: { ok: true, value: [rawEntry({ reason: hugeReason, removalReason: hugeReason })] },
        }),
        sha256,
      );
      const registration = result.registration.ok && !isNotFound(result.registration.value) ? result.registration.value : undefined;
      expect(registration?.businessScope).toMatch(/^未按规定公示很长的理由.* \[\.\.\. truncated, 3000006 characters in all\]$/u);
      expect(Array.from(registration?.businessScope ?? '').length).toBeLessThanOrEqual(MAX_FIELD_CHARS);
      const [entry] = result.abnormalOperations.ok ? result.abnormalOperations.value : [];
      expect(entry?.reason).toBe(capText(normaliseText(hugeReason)));
      expect(entry?.removalReason).toBe(capText(normaliseText(hugeReason)));
    });

    it('normalises to the same value on every read, whatever its formatting noise: never a change', () => {
      const read = (reason: string): unknown =>
        toFetchedSections(
          raw({ registration: { ok: true, value: rawRegistration({ name: reason }) }, abnormalOperations: { ok: true, value: [rawEntry({ reason })] } }),
          sha256,
        );
      const spaced = hugeReason.replaceAll('理由', '理由 ');
      const noisy = `  ${spaced.replaceAll(' ', '\u3000\t')}\n`; // full-width spaces and tabs
      expect(read(hugeReason)).toEqual(read(hugeReason));
      expect(read(noisy)).toEqual(read(spaced));
    });

    it('keys an entry by its whole reason, as before the cap: long reasons that differ only past the cap stay two entries', () => {
      const other = `${hugeReason}，另一条`;
      const result = toFetchedSections(raw({ abnormalOperations: { ok: true, value: [rawEntry({ reason: hugeReason }), rawEntry({ reason: other })] } }), sha256);
      const entries = result.abnormalOperations.ok ? result.abnormalOperations.value : [];
      expect(entries).toHaveLength(2);
      const e = rawEntry({ reason: hugeReason });
      expect(entries.map((x) => x.key)).toContain(entryKey(sha256, '2026-11-20', normaliseText(hugeReason), normaliseText(e.authority ?? '')));
    });
  });
});
