/**
 * What each console page renders, built by its route from the store and config: the render
 * functions read nothing else. Types of the store, app and CLI views are reused where they exist.
 */
import type { CaseDetailView, CaseView } from '../../app/case-view.js';
import type { CustomerPageFilter } from '../../app/page-ports.js';
import type { CustomerView } from '../../cli/customer-view.js';
import type { RowMessage } from '../../cli/row-messages.js';
import type { Role } from '../../domain/api-tokens.js';
import type { CaseState } from '../../domain/cases.js';
import type { Tier } from '../../domain/events.js';
import type { Grade } from '../../domain/grades.js';
import type { OptionalSectionName } from '../../domain/sections.js';
import type { EventView } from '../../store/event-view.js';
import type { CustomerRecord } from '../../store/customers-repository.js';
import type { Lang } from './i18n.js';

export type { CaseDetailView, CaseView, EventView };

/** Who is looking, in which language, and what every page needs (CSRF token, links to itself). */
export interface PageContext {
  lang: Lang;
  role: Role;
  /** The signed-in token's name. */
  tokenName: string;
  /** Put into every POST form (`_csrf`) and into htmx requests (`x-csrf-token`). */
  csrfToken: string;
  /** The request's path, e.g. `/inbox`: marks the current nav entry and builds the language links. */
  path: string;
  /** The current query string (with or without `?`), kept by the language links. */
  query: string;
  /** A one-line flash message shown above the page (e.g. "3 events acknowledged"). */
  notice?: string;
}

/** One page of a list; `Page<T>` of app/page-ports.ts fits. `next` is the cursor of the next page. */
export interface Listing<T> {
  items: T[];
  next: string | null;
  /** How many match in all, when known. */
  total?: number;
}

/** A customer as a list shows it (a CustomerRecord fits). */
export type CustomerSummary = Pick<CustomerRecord, 'uscc' | 'name' | 'tags' | 'paused' | 'lastCheckedAt' | 'consecutiveFailures' | 'lastError' | 'grade'> &
  Partial<Pick<CustomerRecord, 'removedAt'>>;

export interface LoginData {
  lang: Lang;
  csrfToken: string;
  /** Shown above the form, e.g. "the token is not valid". */
  error?: string;
  /** The current query string, kept by the language link. */
  query?: string;
  /** The console path to go to once signed in (the page that asked for a sign-in). */
  next?: string;
}

export const OVERVIEW_PERIODS = ['24h', '7d', '30d'] as const;
export type OverviewPeriod = (typeof OVERVIEW_PERIODS)[number];

export interface OverviewData {
  /** Events detected in each period, per tier; a tier left out counts 0. */
  eventsByTier: Record<OverviewPeriod, Partial<Record<Tier, number>>>;
  /** Customers (not removed) per grade; a grade left out counts 0. */
  grades: Partial<Record<Grade, number>>;
  /** Customers whose last check failed: how many, and up to 10 of them (most failures first). */
  failing: { count: number; customers: Array<Pick<CustomerRecord, 'uscc' | 'name' | 'consecutiveFailures' | 'lastError'>> };
  /** Deliveries that gave up (status dead). */
  deadDeliveries: number;
  /** Provider calls made today (Asia/Shanghai day) and `provider.dailyCallBudget` (null: unlimited). */
  providerCalls: { today: number; dailyBudget: number | null };
  /** Cases not resolved, by state, and how many are past a deadline. */
  cases: { open: number; acknowledged: number; overdue: number };
  /** calendarWarning() of domain/case-deadlines.ts, or null. */
  calendarWarning: string | null;
}

export type InboxState = 'unacknowledged' | 'acknowledged' | 'all';

export interface InboxData {
  /** Newest first. */
  events: Listing<EventView>;
  filter: { tier?: Tier; state: InboxState; uscc?: string };
}

export interface CaseListData {
  /** Newest first. */
  cases: Listing<CaseView>;
  filter: { state?: CaseState; overdue?: boolean };
}

export interface CustomerListData {
  customers: Listing<CustomerSummary>;
  filter: Omit<CustomerPageFilter, 'limit' | 'cursor'>;
}

/**
 * The customer page: `customers show --json` (customerView of src/cli/customer-view.ts) with its
 * loosely typed `customer` replaced by the register row itself.
 */
export type CustomerPageData = Omit<CustomerView, 'customer'> & {
  customer: Pick<CustomerRecord, 'uscc' | 'name' | 'tags' | 'paused' | 'lastCheckedAt' | 'nextCheckAt' | 'consecutiveFailures' | 'lastError' | 'removedAt'>;
};

/** The outcome of one import as the page shows it (see importReportView). */
export interface ImportReportView {
  /** The uploaded file's name. */
  file: string;
  /** Rows per outcome: imported, created, updated, restored, unchanged, rejected, duplicates, warnings. */
  summary: Record<string, number>;
  /** Every row message (rejected, duplicate, warning); the page shows the first ones in line order. */
  rows: RowMessage[];
}

export interface ImportPageData {
  report?: ImportReportView;
}

/**
 * The settings page: read-only, and with nowhere to put a secret. URLs are shown as their origin
 * only (the page strips credentials, paths and queries again, whatever it is given).
 */
export interface SettingsData {
  provider: {
    kind: string;
    /** CM_PROVIDER_URL; null: the adapter's own. */
    url: string | null;
    sections: Record<OptionalSectionName, boolean>;
    ratePerSecond: number;
    timeoutMs: number;
    /** null: unlimited. */
    dailyCallBudget: number | null;
  };
  webhooks: Array<{ name: string; url: string }>;
  email: {
    /** CM_SMTP_URL and CM_MAIL_FROM are set. */
    configured: boolean;
    /** How many CM_MAIL_TO recipients. */
    recipients: number;
    immediateTiers: Tier[];
    digestTiers: Tier[];
    /** HH:MM, Asia/Shanghai. */
    digestTime: string;
  };
  schedule: {
    /** CM_SCAN_INTERVAL in ms (when `cron` is null). */
    intervalMs: number;
    /** CM_SCAN_CRON, or null. */
    cron: string | null;
    /** `schedule.byGrade` in ms. */
    byGradeMs: Partial<Record<Grade, number>>;
  };
  /** `cases.openAt`; null: no cases. */
  casesOpenAt: Tier | null;
  /** `language` (of e-mails). */
  language: Lang;
}
