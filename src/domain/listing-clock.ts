/**
 * The abnormal-operations clock (条例 Art. 17 ¶2): an entry still in force three years after it was
 * listed moves the enterprise to the serious illegal and dishonest list. `escalation_due` warns
 * `clocks.escalationWarningDays` before that, from the stored entry and today's date alone.
 */
import { daysBefore, isCalendarDay, yearsAfter } from './calendar-days.js';
import { MISSING_READS_FOR_REMOVAL, toEventEntry } from './diff-entries.js';
import { eventId } from './event-id.js';
import type { EventDraft, EventEntry } from './events.js';
import type { Language } from './grades.js';
import type { Hash } from './hash.js';
import type { ListEntry } from './snapshot.js';
import { cureFor } from './listing-cure.js';

export { cureFor, listingReason, type ListingReason } from './listing-cure.js';

/** Years on the abnormal-operations list after which the enterprise is moved to the serious list. */
export const ESCALATION_YEARS = 3;

/** What the event id of an `escalation_due` is found against: the clock, not a snapshot. */
export const CLOCK_AGAINST = 'clock';

const TYPE = 'abnormal_operations.escalation_due';

/**
 * The third anniversary of a listing, when it escalates: 2021-02-28 → 2024-02-28; a listing on
 * 29 February escalates on 28 February (Civil Code Art. 201: the month's last day when it lacks one).
 */
export function escalatesOn(listedOn: string): string {
  return yearsAfter(listedOn, ESCALATION_YEARS);
}

function inForceOn(entry: ListEntry, today: string): boolean {
  if (entry.missingReads >= MISSING_READS_FOR_REMOVAL) return false;
  return entry.removedOn === null || entry.removedOn > today;
}

/**
 * `abnormal_operations.escalation_due` for every abnormal-operations entry in force today whose
 * third anniversary is at most `warningDays` days away (today ≥ anniversary − warningDays), or
 * already past. Entries without a listing date cannot be timed and are left out. Raising it once per
 * entry is the event id's job (`escalationDueEventId`): every day's pass yields the same id.
 */
export function escalationDue(entries: readonly ListEntry[], today: string, warningDays: number): EventDraft[] {
  const drafts: EventDraft[] = [];
  for (const entry of entries) {
    if (entry.listedOn === null || !isCalendarDay(entry.listedOn) || !inForceOn(entry, today)) continue;
    const anniversary = escalatesOn(entry.listedOn);
    if (today < daysBefore(anniversary, warningDays)) continue;
    drafts.push({ type: TYPE, baseline: false, entry: toEventEntry(entry), escalatesOn: anniversary });
  }
  return drafts;
}

/**
 * The id of an entry's `escalation_due`: customer, type and entry key only (against `clock`), so a
 * check and the daily pass, today and every later day, name the same event.
 */
export function escalationDueEventId(hash: Hash, uscc: string, entryKey: string): string {
  const entry: EventEntry = { key: entryKey, listedOn: null, reason: '', authority: null, removedOn: null, removalReason: null };
  return eventId(hash, { uscc, draft: { type: TYPE, baseline: false, entry }, against: CLOCK_AGAINST });
}

const CONSEQUENCE: Readonly<Record<Language, string>> = {
  'zh-CN':
    '列入经营异常名录届满3年仍未履行相关义务的，将被列入严重违法失信名单，其法定代表人、负责人3年内不得担任其他企业的法定代表人、负责人（《企业信息公示暂行条例》第十七条）。',
  en:
    'An enterprise still on the list after 3 years without fulfilling its obligations is moved to the serious illegal and dishonest list (严重违法失信名单), and its legal representative or person in charge may not be the legal representative or person in charge of any other enterprise for 3 years (Interim Regulations on Enterprise Information Disclosure, Art. 17).',
};

/** What happens at the three-year mark, one sentence. */
export function escalationConsequence(language: Language): string {
  return CONSEQUENCE[language];
}

/**
 * The message of an `escalation_due`: when the entry escalates, what that means, and what the
 * customer must do to be removed first (the cure for its listing reason).
 */
export function escalationDueText(draft: { entry: Pick<EventEntry, 'listedOn' | 'reason'>; escalatesOn: string }, language: Language): string {
  const cures = cureFor(draft.entry.reason);
  const cure = language === 'en' ? cures.en : cures.zh;
  const listedOn = draft.entry.listedOn ?? '?';
  if (language === 'en') {
    return `On the abnormal-operations list since ${listedOn}; it reaches 3 years on ${draft.escalatesOn}. ${CONSEQUENCE.en} To be removed before then: ${cure}.`;
  }
  return `该企业自${listedOn}起被列入经营异常名录，将于${draft.escalatesOn}届满3年。${CONSEQUENCE['zh-CN']}移出方法：${cure}。`;
}
