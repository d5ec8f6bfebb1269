/**
 * Cases (内部管理闭环): what an alert starts. An event at or above `cases.openAt` opens a case for
 * its customer or joins the one not yet resolved; a case is acknowledged, then resolved with a
 * decision. Its two deadlines are counted in working days from the day it opened.
 */
import type { Tier } from './events.js';

export const CASE_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const CASE_DECISIONS = ['continue', 'restrict', 'suspend', 'terminate'] as const;
export type CaseDecision = (typeof CASE_DECISIONS)[number];

/** The two deadlines of a case (`cases.deadlines.<tier>.acknowledgeDays` / `resolveDays`). */
export const CASE_DEADLINES = ['acknowledge', 'resolve'] as const;
export type CaseDeadlineKind = (typeof CASE_DEADLINES)[number];

export interface CaseDeadline {
  /** The last day of the period, `YYYY-MM-DD` in Asia/Shanghai. */
  day: string;
  /** Epoch ms: the end of `day` in Asia/Shanghai (24:00, Civil Code Art. 203); overdue after it. */
  dueAt: number;
  /** Counted over days the working-day calendar has no data for (Monday–Friday assumed). */
  provisional: boolean;
}

export interface CaseRecord {
  /** `C-` and 16 hex characters, derived from the event that opened it. */
  id: string;
  customerId: number;
  uscc: string;
  customerName: string;
  state: CaseState;
  /** The most severe tier among its events. */
  tier: Tier;
  /** The most severe (first of the most severe) of its events: what escalation re-sends. */
  leadEventId: string;
  /** Epoch ms. */
  openedAt: number;
  assignee: string | null;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  acknowledgementNote: string | null;
  resolvedAt: number | null;
  resolvedBy: string | null;
  decision: CaseDecision | null;
  resolutionNote: string | null;
  acknowledgeDue: CaseDeadline;
  resolveDue: CaseDeadline;
  /** Epoch ms when `case.overdue` was raised for each deadline; null while not raised. */
  overdueRaisedAt: Record<CaseDeadlineKind, number | null>;
}

/** The `case` object of a case event's payload and webhook body (DESIGN "Cases and deadlines"). */
export interface CasePayload {
  id: string;
  state: CaseState;
  decision: CaseDecision | null;
  /** ISO 8601 UTC: the deadline that is next (acknowledge while open, then resolve); null once resolved. */
  dueAt: string | null;
  eventIds: string[];
  /** For `case.overdue`: the deadline that was missed. */
  deadline?: CaseDeadlineKind;
  /** The due date of `deadline` (or of `dueAt`) is provisional (calendar data missing). */
  provisional?: boolean;
  note?: string | null;
}

/** `C-` and 16 hex characters of the hash of the opening event's id: the same on a re-run. */
export const CASE_ID_PATTERN = /^C-[0-9a-f]{16}$/;
