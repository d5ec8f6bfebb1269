/**
 * What a provider adapter hands to the core: each section exactly as the provider stated it (strings
 * not yet normalised), or the typed reason it could not be read. Adapters translate their wire format
 * into these shapes; the domain normalises them into a Snapshot.
 */

/** Sections every check reads. */
export const CORE_SECTION_NAMES = ['registration', 'abnormalOperations', 'seriousViolations'] as const;
/**
 * Sections read only when configured (`provider.sections`), because each costs provider calls:
 * administrative penalties (行政处罚) and dishonest judgment debtors (失信被执行人) at least one more
 * per check, annual reports (年度报告) one per customer a year (see annual-reports.ts).
 */
export const OPTIONAL_SECTION_NAMES = ['administrativePenalties', 'dishonestDebtors', 'annualReports'] as const;
export type OptionalSectionName = (typeof OPTIONAL_SECTION_NAMES)[number];
export const SECTION_NAMES = [...CORE_SECTION_NAMES, ...OPTIONAL_SECTION_NAMES] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

export function isOptionalSection(name: SectionName): name is OptionalSectionName {
  return (OPTIONAL_SECTION_NAMES as readonly string[]).includes(name);
}

/** Which optional sections a provider adapter fetches; all off by default (each costs calls). */
export type OptionalSections = Readonly<Record<OptionalSectionName, boolean>>;

export const NO_OPTIONAL_SECTIONS: OptionalSections = Object.freeze({
  administrativePenalties: false,
  dishonestDebtors: false,
  annualReports: false,
});

/**
 * What one check asks of the provider beyond its configuration: the annual reports are read once a
 * year, so the check says when (`annualReportsDue`); an adapter that has them on reads them only then.
 */
export interface FetchRequest {
  /** Read the annual reports in this check (when the section is on). Default false. */
  annualReports?: boolean;
}

export const PROVIDER_ERROR_KINDS = [
  'not_found', // explicit "no such company" (meaningful on registration only)
  'no_data', // explicit "nothing on record"; the domain reads it as [] on list sections (toFetchedSections)
  'rate_limited',
  'auth',
  'quota',
  'transient', // 5xx, network error, timeout
  'invalid_response', // malformed, truncated, foreign (another company's code), schema mismatch
] as const;
export type ProviderErrorKind = (typeof PROVIDER_ERROR_KINDS)[number];

export interface ProviderError {
  kind: ProviderErrorKind;
  /** One line, safe to log: never secrets, never a whole body. */
  message: string;
  /** Provider-advised wait before the next call: for `rate_limited` before any call, for another kind before asking about this customer again. */
  retryAfterMs?: number;
}

export type SectionResult<T> = { ok: true; value: T } | { ok: false; error: ProviderError };

/**
 * A date as providers send it: a date string in any common form ("2026-11-20",
 * "2026-11-20 00:00:00", "2026-11-20T00:00:00", "2026年11月20日"), or epoch milliseconds that stand for
 * a Beijing (Asia/Shanghai) calendar day. `null`, "", "-" mean absent.
 */
export type RawDate = string | number | null;

export interface RawRegistration {
  /** Unified social credit code as the provider returned it; checked against the code asked for. */
  creditCode: string | null;
  name: string;
  statusText: string;
  legalRepresentative: string | null;
  /** Free text such as "1000万人民币", "1000.000000万元人民币", "500万美元". */
  registeredCapitalText: string | null;
  address: string | null;
  businessScope: string | null;
  establishedOn: RawDate;
}

export interface RawListEntry {
  /** The provider's stable record id, when it has one. */
  recordId: string | null;
  listedOn: RawDate;
  reason: string | null;
  authority: string | null;
  removedOn: RawDate;
  removalReason: string | null;
}

/** One published annual report (年度报告) as the provider listed it. */
export interface RawAnnualReport {
  /** The year reported on, as sent: 2025, "2025", "2025年度", "2025年度报告". */
  year: string | number | null;
  /** When it was published (公示日期); may be absent. */
  publishedOn: RawDate;
}

export interface RawSections {
  /** `{ ok: false, error: { kind: 'not_found' } }` is the provider's explicit "no such company". */
  registration: SectionResult<RawRegistration>;
  abnormalOperations: SectionResult<RawListEntry[]>;
  seriousViolations: SectionResult<RawListEntry[]>;
  /**
   * 行政处罚, present only when configured. Entries as list entries: `recordId` is the decision
   * document number (决定文书号), `listedOn` the decision date, `reason` the violation and the
   * penalty (see `penaltyReason`), `authority` the deciding body; penalties have no removal.
   */
  administrativePenalties?: SectionResult<RawListEntry[]>;
  /**
   * 失信被执行人, present only when configured. `recordId` is the case number (案号), `listedOn` the
   * publication date (发布日期, else the filing date), `reason` the dishonest behaviour (失信具体情形),
   * `authority` the enforcing court; `removedOn` only where a provider dates a removal.
   */
  dishonestDebtors?: SectionResult<RawListEntry[]>;
  /**
   * 年度报告, present only when configured and asked for (`FetchRequest.annualReports`): the reports
   * the company has published. The provider's "no data" means none.
   */
  annualReports?: SectionResult<RawAnnualReport[]>;
}

/**
 * The sections an answer holds, in `SECTION_NAMES` order; optional sections that were not fetched
 * are left out.
 */
export function sectionResults(raw: RawSections): Array<[SectionName, SectionResult<unknown>]> {
  return SECTION_NAMES.flatMap((name): Array<[SectionName, SectionResult<unknown>]> => {
    const result = raw[name];
    return result === undefined ? [] : [[name, result]];
  });
}

/**
 * One penalty's text: the violation and what was imposed, joined, so an alert says both
 * ("违反了《广告法》第九条的规定；罚款30000元。"). Either may be absent.
 */
export function penaltyReason(violation: string | null, penalty: string | null): string | null {
  const parts = [violation, penalty].filter((part): part is string => part !== null && part.trim() !== '');
  return parts.length === 0 ? null : parts.join('；');
}
