import type { RatedGrade } from './grades.js';
import type { ListEntry, RegistrationStatus } from './snapshot.js';
import type { CasePayload } from './cases.js';
import type { Strategy } from './strategy.js';

export const EVENT_TYPES = [
  'registration.status_changed',
  'registration.not_found',
  'registration.name_changed',
  'registration.legal_representative_changed',
  'registration.registered_capital_changed',
  'registration.address_changed',
  'registration.business_scope_changed',
  'abnormal_operations.listed',
  'abnormal_operations.removed',
  'serious_violation.listed',
  'serious_violation.removed',
  // Optional sections (provider.sections): a penalty is a past decision, so it is added and never removed.
  'administrative_penalty.added',
  'dishonest_debtor.listed',
  'dishonest_debtor.removed',
  'monitoring.degraded',
  'monitoring.recovered',
  // The customer's credit grade changed (change.field "grade"), or its first grade is risk.
  'grade.changed',
  // Listing clocks: an abnormal-operations entry nears its third year (then the serious list), and
  // last year's annual report is not published (the leading indicator of a listing).
  'abnormal_operations.escalation_due',
  'annual_report.missing',
  // The case workflow (cases.ts): raised by the store's writers, never by a diff.
  'case.opened',
  'case.overdue',
  'case.resolved',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const TIERS = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Tier = (typeof TIERS)[number];

export interface FieldChange {
  field: string;
  before: string | null;
  after: string | null;
}

export type EventEntry = Omit<ListEntry, 'missingReads'>;

/** An event before it has a tier and an id: what the diff found. */
export interface EventDraft {
  type: EventType;
  baseline: boolean;
  change?: FieldChange;
  entry?: EventEntry;
  /** How a removal was seen: the provider dated it, or it vanished from two successful reads. */
  evidence?: 'removal_date' | 'missing';
  /** For status changes: the new status, which decides the tier. */
  statusAfter?: RegistrationStatus;
  /** For capital changes: decides medium (fell) or low (rose). */
  trend?: 'fell' | 'rose';
  /** For grade changes: the new grade and the grading rule that decided it. */
  grade?: { grade: RatedGrade; rule: string };
  /** For grade changes: the trading strategy of the new grade, as configured when it was decided. */
  strategy?: Strategy;
  /** For case events: the case as it stands after the event. */
  case?: CasePayload;
  /** For escalation_due: the third anniversary of the entry's listing (`YYYY-MM-DD`), when it moves to the serious list. */
  escalatesOn?: string;
  /** For annual_report.missing: the year whose report is not published. */
  annualReport?: { year: number };
}

export interface CreditEvent extends EventDraft {
  id: string;
  tier: Tier;
}
