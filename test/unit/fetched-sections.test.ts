import { describe, expect, it } from 'vitest';
import { anySectionFailed, isNotFound, toFetchedSections } from '../../src/domain/fetched-sections.js';
import type { RawSections } from '../../src/domain/sections.js';
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
});
