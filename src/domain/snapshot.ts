/** The normalised, provider-independent picture of one customer. */

export const REGISTRATION_STATUSES = [
  'active',
  'suspended',
  'liquidating',
  'relocated_out',
  'withdrawn',
  'revoked',
  'cancelled',
  'unknown',
] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

export const TERMINAL_STATUSES: readonly RegistrationStatus[] = ['revoked', 'cancelled', 'withdrawn'];

export interface Money {
  /** In whole currency units (yuan, dollars), rounded to cents: "1000万人民币" → 10000000. */
  amount: number;
  /** ISO 4217 code: CNY, USD, HKD, EUR, JPY, … */
  currency: string;
}

export interface Registration {
  name: string;
  status: RegistrationStatus;
  statusRaw: string;
  legalRepresentative: string | null;
  registeredCapital: Money | null;
  address: string | null;
  businessScope: string | null;
  /** YYYY-MM-DD, Asia/Shanghai. */
  establishedOn: string | null;
}

export interface ListEntry {
  /** Provider record id when stable, else a hash of (listedOn, normalised reason, authority). */
  key: string;
  listedOn: string | null;
  reason: string;
  authority: string | null;
  removedOn: string | null;
  removalReason: string | null;
  /**
   * Consecutive successful reads that no longer contained this entry. It counts as removed
   * (`evidence: "missing"`) at 2; it stays in the snapshot so that a key is listed once in its life.
   */
  missingReads: number;
}

export const LIST_SECTIONS = ['abnormalOperations', 'seriousViolations'] as const;
export type ListSection = (typeof LIST_SECTIONS)[number];

/** List sections read only when configured; absent from a snapshot until first read successfully. */
export const OPTIONAL_LIST_SECTIONS = ['administrativePenalties', 'dishonestDebtors'] as const;
export type OptionalListSection = (typeof OPTIONAL_LIST_SECTIONS)[number];

/** Every section whose value is a list of entries, core or optional. */
export type AnyListSection = ListSection | OptionalListSection;

/** One published annual report (年度报告). */
export interface AnnualReport {
  /** The year reported on. */
  year: number;
  /** YYYY-MM-DD, Asia/Shanghai; null when the provider gave no date. */
  publishedOn: string | null;
}

/** The `annualReports` section: what was published as of the last read, and when that read was. */
export interface AnnualReports {
  /**
   * YYYY-MM-DD (Asia/Shanghai) of the read. It decides the next one: a read on or after 1 July
   * covers the year (annual-reports.ts), so the section is carried over without a call until the next.
   */
  readOn: string;
  /** One per year, by year. */
  reports: AnnualReport[];
}

export interface NotFound {
  notFound: true;
}

export interface Snapshot {
  /** null until the section has been read successfully once. */
  registration: Registration | NotFound | null;
  abnormalOperations: ListEntry[] | null;
  seriousViolations: ListEntry[] | null;
  /**
   * Optional sections: the key is absent (never null) until the section has been read successfully
   * once, so that snapshots of customers without them hash exactly as before they existed.
   */
  administrativePenalties?: ListEntry[];
  dishonestDebtors?: ListEntry[];
  /** Absent until first read successfully, like the optional lists. */
  annualReports?: AnnualReports;
}

/** Who produced a snapshot; a change here means a silent re-baseline, not alerts. */
export interface SnapshotMethod {
  provider: string;
  providerVersion: string;
  normaliserVersion: number;
}
