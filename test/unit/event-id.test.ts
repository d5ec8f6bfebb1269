import { describe, expect, it } from 'vitest';
import { eventId } from '../../src/domain/event-id.js';
import type { EventDraft } from '../../src/domain/events.js';
import { entry, sha256 } from './domain-fixtures.js';

const USCC = '91440300708461136T';
const LISTED_K1: EventDraft = { type: 'abnormal_operations.listed', baseline: false, entry: withoutMissing(entry('k1')) };
const STATUS: EventDraft = {
  type: 'registration.status_changed',
  baseline: false,
  change: { field: 'status', before: 'active', after: 'revoked' },
  statusAfter: 'revoked',
};

function withoutMissing(e: ReturnType<typeof entry>): NonNullable<EventDraft['entry']> {
  const { key, listedOn, reason, authority, removedOn, removalReason } = e;
  return { key, listedOn, reason, authority, removedOn, removalReason };
}

describe('eventId', () => {
  it('is deterministic and short', () => {
    const id = eventId(sha256, { uscc: USCC, draft: STATUS, against: 'abc' });
    expect(id).toBe(eventId(sha256, { uscc: USCC, draft: { ...STATUS }, against: 'abc' }));
    expect(id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('accepts the snapshot hash under its own name, with null meaning "none"', () => {
    expect(eventId(sha256, { uscc: USCC, draft: STATUS, againstSnapshotHash: null })).toBe(
      eventId(sha256, { uscc: USCC, draft: STATUS, against: 'none' }),
    );
    expect(eventId(sha256, { uscc: USCC, draft: STATUS, againstSnapshotHash: 'abc' })).toBe(
      eventId(sha256, { uscc: USCC, draft: STATUS, against: 'abc' }),
    );
  });

  it('depends on the entry key only, not on the other entry fields', () => {
    const changedText: EventDraft = { ...LISTED_K1, entry: { ...withoutMissing(entry('k1')), reason: '另一个原因' } };
    expect(eventId(sha256, { uscc: USCC, draft: changedText, against: 'x' })).toBe(eventId(sha256, { uscc: USCC, draft: LISTED_K1, against: 'x' }));
  });

  it.each([
    { name: 'another customer', other: { uscc: '914403001922038216', draft: STATUS, against: 'abc' } },
    { name: 'another snapshot', other: { uscc: USCC, draft: STATUS, against: 'abd' } },
    { name: 'no previous snapshot', other: { uscc: USCC, draft: STATUS, against: null } },
    { name: 'another type', other: { uscc: USCC, draft: { ...STATUS, type: 'registration.not_found' as const }, against: 'abc' } },
    { name: 'another transition', other: { uscc: USCC, draft: { ...STATUS, change: { field: 'status', before: 'active', after: 'cancelled' } }, against: 'abc' } },
    { name: 'a null before instead of ""', other: { uscc: USCC, draft: { ...STATUS, change: { field: 'status', before: null, after: 'revoked' } }, against: 'abc' } },
    { name: 'another entry', other: { uscc: USCC, draft: { ...LISTED_K1, entry: withoutMissing(entry('k2')) }, against: 'abc' } },
  ])('differs for $name', ({ other }) => {
    const base = eventId(sha256, { uscc: USCC, draft: STATUS, against: 'abc' });
    const listedBase = eventId(sha256, { uscc: USCC, draft: LISTED_K1, against: 'abc' });
    const id = eventId(sha256, other);
    expect(id).not.toBe(base);
    expect(id).not.toBe(listedBase);
  });
});
