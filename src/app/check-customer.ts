import { annualReportsDue } from '../domain/annual-reports.js';
import { shanghaiDay } from '../domain/dates.js';
import { diffSnapshots, toFetchedSections, type FetchedSections } from '../domain/diff.js';
import type { KeptField } from '../domain/diff-registration.js';
import { CLOCK_AGAINST, escalationDue } from '../domain/listing-clock.js';
import { dropKnownListings, reportsListings } from '../domain/listing-history.js';
import { changedSections, nextSectionMethods, sameMethod, sectionMethodsKey } from '../domain/method.js';
import { eventId, NO_PREVIOUS, yearBasis } from '../domain/event-id.js';
import type { EventDraft } from '../domain/events.js';
import { readSections, type GradingPolicy } from '../domain/grade-decision.js';
import type { Grade } from '../domain/grades.js';
import type { Hash } from '../domain/hash.js';
import { assessMonitoring } from '../domain/monitoring.js';
import { NORMALISER_VERSION } from '../domain/normalise.js';
import type { Routing } from '../domain/routing.js';
import { SECTION_NAMES, sectionResults, type ProviderError, type SectionName } from '../domain/sections.js';
import { snapshotHash } from '../domain/snapshot-hash.js';
import type { SnapshotMethod } from '../domain/snapshot.js';
import { tierFor, type TierPolicy } from '../domain/tiers.js';
import type { CreditProvider } from '../providers/provider.js';
import { AppError } from '../errors.js';
import { caseIntakeOf, type CasePolicy } from './case-events.js';
import { gradeEventBasis, gradeRead, gradeSummary, type GradeSummary } from './grade-check.js';
import type { CheckStore, Customer, StoredEvent } from './ports.js';
import { routeEvents } from './route-events.js';

/** Attempts to record one check while other checks of the same customer keep committing first. */
const MAX_RECORD_ATTEMPTS = 5;

const HELD_NOT_FOUND: ProviderError = {
  kind: 'not_found',
  message: 'the new provider does not know this company; the last registration read is kept',
};

/** Provider answers that no retry can fix until an operator acts (new key, paid quota). */
const STOPPING_KINDS: ReadonlySet<ProviderError['kind']> = new Set(['auth', 'quota']);

export interface CheckDeps {
  store: CheckStore;
  provider: CreditProvider;
  hash: Hash;
  /** Epoch ms now. */
  clock: () => number;
  policy: TierPolicy;
  routing: Routing;
  /** Consecutive checks with a failed section before monitoring.degraded. */
  degradedAfter: number;
  /**
   * When the customer is due again after a check at `checkedAt` (epoch ms) that gave it `grade`: the
   * grade's cadence (app/grade-schedule.ts), so a customer that just turned risk is on the risk cadence.
   */
  nextCheckAt: (checkedAt: number, grade: Grade) => Promise<number>;
  /** Grading rules, strategies and the provider's optional sections (config `grading`, `strategy`). */
  grading: GradingPolicy;
  /** Which events open a case and their deadlines (config `cases`). */
  cases: CasePolicy;
  /** Escalation recipients (config `escalation.to`), for the case events' outbox rows. */
  escalationTo: readonly string[];
  /** Days before an abnormal-operations entry's third anniversary that `escalation_due` is raised (config `clocks`). */
  escalationWarningDays: number;
}

export type CheckOutcome =
  | { kind: 'unknown_customer'; uscc: string }
  | { kind: 'rate_limited'; uscc: string; retryAfterMs: number | undefined }
  /** The provider refused our credentials or our quota is spent: nothing was recorded for the customer. */
  | { kind: 'provider_stopped'; uscc: string; error: ProviderError }
  | {
      kind: 'checked';
      uscc: string;
      /** Events stored by this check (a re-run of a check already stored returns none). */
      events: StoredEvent[];
      failedSections: Array<{ section: SectionName; error: ProviderError }>;
      snapshotWritten: boolean;
      /** A section read now was last read by another provider or normaliser: it re-baselined silently. */
      methodChanged: boolean;
      /** Registration fields missing from this answer that kept their last known value. */
      keptFields: KeptField[];
      /**
       * Sections that are on but were not due, so no call was made and the last read was carried
       * over: the annual reports outside their once-a-year read.
       */
      skippedSections: SectionName[];
      /** The customer's grade before and after this check. */
      grade: GradeSummary;
    };

/**
 * One check of one customer: fetch → normalise → diff → one transaction. The CLI `check` and the
 * scan queue both call this, so there is one code path.
 */
export async function checkCustomer(deps: CheckDeps, uscc: string, signal: AbortSignal): Promise<CheckOutcome> {
  const customer = await deps.store.findCustomer(uscc);
  if (!customer) return { kind: 'unknown_customer', uscc };

  // The annual reports are read once a year (from 1 July, Asia/Shanghai): whether this check is the
  // one is decided from the stored section, before any call.
  const readOn = shanghaiDay(deps.clock());
  const annualReports = deps.grading.enabledSections.annualReports && (await annualReportsDueFor(deps, customer, readOn));
  const skippedSections: SectionName[] = deps.grading.enabledSections.annualReports && !annualReports ? ['annualReports'] : [];
  const raw = await deps.provider.fetchSections(customer.uscc, signal, { annualReports });
  // Refused credentials or a spent quota are the operator's problem, not the customer's: every
  // further call fails the same way, so stop before recording a failure that would count towards
  // monitoring.degraded for every customer in turn.
  const errors = sectionResults(raw).flatMap(([, r]) => (r.ok ? [] : [r.error]));
  const refused = errors.find((error) => STOPPING_KINDS.has(error.kind));
  if (refused) return { kind: 'provider_stopped', uscc, error: refused };
  // A rate limit is pacing, not a fault of the customer's data: retry the whole check later.
  const limited = errors.find((error) => error.kind === 'rate_limited');
  if (limited) return { kind: 'rate_limited', uscc, retryAfterMs: limited.retryAfterMs };
  // Normalising may fail a section too (garbage dates, a foreign company's body): it counts as failed.
  const fetched = toFetchedSections(raw, deps.hash, { uscc: customer.uscc, readOn });

  // Another check of this customer may commit between our read of its last snapshot and our write
  // (a re-scan beside a scheduled check, `check` beside the worker): the store then refuses the write
  // and this check is diffed again against what was committed, so no entry is dropped or re-listed.
  for (let attempt = 1; ; attempt += 1) {
    const current = attempt === 1 ? customer : await deps.store.findCustomer(uscc);
    if (!current) return { kind: 'unknown_customer', uscc };
    const recorded = await diffAndRecord(deps, current, fetched, skippedSections);
    if (recorded !== 'stale') return recorded;
    if (attempt >= MAX_RECORD_ATTEMPTS) {
      throw new AppError('STORE_CONFLICT', `customer ${uscc}: the snapshot changed under ${attempt} attempts to record this check`, { retryable: true });
    }
  }
}

/** Whether the stored snapshot still lacks this year's annual-report read (see annualReportsDue). */
async function annualReportsDueFor(deps: CheckDeps, customer: Customer, today: string): Promise<boolean> {
  const previous = await deps.store.latestSnapshot(customer.id);
  return annualReportsDue(previous?.body.annualReports, today);
}

/** Diffs against the latest snapshot and records the outcome; 'stale' when another check won the race. */
async function diffAndRecord(
  deps: CheckDeps,
  customer: Customer,
  fetched: FetchedSections,
  skippedSections: SectionName[],
): Promise<Extract<CheckOutcome, { kind: 'checked' }> | 'stale'> {
  const checkedAt = deps.clock();
  const previous = await deps.store.latestSnapshot(customer.id);
  const method: SnapshotMethod = {
    provider: deps.provider.id,
    providerVersion: deps.provider.version,
    normaliserVersion: NORMALISER_VERSION,
  };
  const changed = changedSections(previous, method);
  const diff = diffSnapshots(previous?.body ?? null, fetched, { changedSections: changed });
  const held = new Set(diff.held);
  const failedSections = failedSectionsOf(fetched, diff.held);
  const sectionMethods = nextSectionMethods(previous, fetched, held, method);
  const history = reportsListings(diff.events) && previous !== undefined ? await deps.store.listingHistory(customer.id) : [];
  const found = dropKnownListings(diff.events, history, changed);

  const health = assessMonitoring(
    { consecutiveFailures: customer.consecutiveFailures, degraded: customer.degraded },
    failedSections.length > 0,
    deps.degradedAfter,
  );

  // The snapshot row, not its content hash: a state can recur (revoked, active, revoked again), and
  // the second transition must get an id of its own.
  const against = previous === undefined ? NO_PREVIOUS : `snapshot-${previous.id}`;
  const nextHash = snapshotHash(diff.next, deps.hash);
  const neverRead = SECTION_NAMES.every((section) => (diff.next[section] ?? null) === null);
  const writeSnapshot =
    !neverRead &&
    (previous === undefined ||
      previous.hash !== nextHash ||
      !sameMethod(previous.method, method) ||
      sectionMethodsKey(previous.sectionMethods) !== sectionMethodsKey(sectionMethods));

  // Graded from what this check read: a failed section counts as not read (see decideGrade). Like
  // the diff, a change of method is a silent re-baseline for the grade too: its change is stored but
  // raises an event only when the check found news (an entry or a change not known before).
  const rebaselined = SECTION_NAMES.some((section) => changed.has(section) && fetched[section]?.ok === true);
  const grading = await gradeRead(deps.store, deps.grading, customer, readSections(diff.next, failedSections.map((f) => f.section)), checkedAt, {
    found,
    hasHistory: previous !== undefined,
    quiet: rebaselined && found.length === 0,
  });

  // A missing annual report is one event per customer and year, whichever check of the year finds it.
  const drafts: Array<{ draft: EventDraft; against: string }> = found.map((draft) => ({
    draft,
    against: draft.annualReport === undefined ? against : yearBasis(draft.annualReport.year),
  }));
  if (grading.draft) drafts.push({ draft: grading.draft, against: gradeEventBasis(against, customer) });
  if (health.event) {
    // A monitoring event belongs to the streak, identified by the last check before it.
    drafts.push({ draft: health.event, against: `${against}@${String(customer.lastCheckedAt ?? 'never')}` });
  }
  // The listing clock, from the entries as stored after this check; its id names the entry only, so
  // every check (and the daily pass) yields the same event and the store keeps the first.
  for (const draft of escalationDue(diff.next.abnormalOperations ?? [], shanghaiDay(checkedAt), deps.escalationWarningDays)) {
    drafts.push({ draft: { ...draft, baseline: previous === undefined }, against: CLOCK_AGAINST });
  }
  const events = drafts.map(({ draft, against: base }) => toStoredEvent(deps, customer, draft, base, checkedAt));
  // Noise control: an event is grouped into a higher-tier one nobody has acknowledged yet.
  const unacknowledged = events.length === 0 ? [] : await deps.store.unacknowledgedTiers(customer.id);
  const deliveries = routeEvents(events, customer.tags, deps.routing, unacknowledged);

  // On the cadence of the grade this check decided: a customer that just turned risk is on risk's.
  const scheduledAt = await deps.nextCheckAt(checkedAt, grading.write?.grade ?? customer.grade);
  const recorded = await deps.store.recordCheck({
    customerId: customer.id,
    basedOnSnapshotId: previous?.id ?? null,
    checkedAt,
    nextCheckAt: nextCheckAfter(scheduledAt, checkedAt, health.consecutiveFailures, advisedWaitMs(failedSections)),
    ...(writeSnapshot ? { snapshot: { hash: nextHash, method, sectionMethods, body: diff.next } } : {}),
    events,
    deliveries,
    consecutiveFailures: health.consecutiveFailures,
    lastError: failedSections.map((f) => `${f.section}: ${f.error.message}`).join('; ') || null,
    degraded: health.degraded,
    ...(grading.write ? { grade: grading.write } : {}),
    ...caseIntakeOf(deps, deps.cases, customer, events, checkedAt),
  });
  if (recorded.stale) return 'stale';
  const fresh = new Set(recorded.newEventIds);
  return {
    kind: 'checked',
    uscc: customer.uscc,
    events: events.filter((event) => fresh.has(event.id)),
    failedSections,
    snapshotWritten: writeSnapshot,
    methodChanged: rebaselined,
    keptFields: diff.keptFields,
    skippedSections,
    grade: gradeSummary(customer, grading),
  };
}

/** The sections that failed in this check, and those read but held (see DiffResult.held). */
function failedSectionsOf(fetched: FetchedSections, held: readonly SectionName[]): Array<{ section: SectionName; error: ProviderError }> {
  return [
    ...SECTION_NAMES.flatMap((section) => {
      const result = fetched[section];
      return result === undefined || result.ok ? [] : [{ section, error: result.error }];
    }),
    ...held.map((section) => ({ section, error: HELD_NOT_FOUND })),
  ];
}

function toStoredEvent(
  deps: CheckDeps,
  customer: Customer,
  draft: EventDraft,
  against: string,
  detectedAt: number,
): StoredEvent {
  return {
    ...draft,
    id: eventId(deps.hash, { uscc: customer.uscc, draft, against }),
    tier: tierFor(draft, deps.policy),
    customerId: customer.id,
    detectedAt,
    source: deps.provider.id,
  };
}

/**
 * A customer whose check had a failed section is tried again sooner: 1 min doubling up to 1 h, but
 * never before a wait the provider advised for this query (企查查 110: the same query keeps failing,
 * wait 2 h), since asking sooner only prolongs the lock on that customer.
 */
function nextCheckAfter(scheduled: number, checkedAt: number, consecutiveFailures: number, advisedMs: number): number {
  if (consecutiveFailures === 0) return scheduled;
  const retryMs = Math.min(60_000 * 2 ** Math.min(consecutiveFailures - 1, 10), 3_600_000);
  return Math.max(Math.min(scheduled, checkedAt + retryMs), checkedAt + advisedMs);
}

/** The longest wait the provider advised for a failed section of this check, in ms (0: none). */
function advisedWaitMs(failedSections: ReadonlyArray<{ error: ProviderError }>): number {
  return Math.max(0, ...failedSections.map((f) => f.error.retryAfterMs ?? 0));
}
