import { anySectionFailed, diffSnapshots, toFetchedSections } from '../domain/diff.js';
import { eventId, NO_PREVIOUS } from '../domain/event-id.js';
import { TIERS, type EventDraft } from '../domain/events.js';
import type { Hash } from '../domain/hash.js';
import { assessMonitoring } from '../domain/monitoring.js';
import { NORMALISER_VERSION } from '../domain/normalise.js';
import { routeEvent, type Routing } from '../domain/routing.js';
import { SECTION_NAMES, sectionResults, type ProviderError, type SectionName } from '../domain/sections.js';
import { snapshotHash } from '../domain/snapshot-hash.js';
import type { SnapshotMethod } from '../domain/snapshot.js';
import { tierFor, type TierPolicy } from '../domain/tiers.js';
import type { CreditProvider } from '../providers/provider.js';
import type { CheckStore, Customer, DeliveryDraft, StoredEvent } from './ports.js';

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
  /** When the customer is due again after a check at `checkedAt` (epoch ms). */
  nextCheckAt: (checkedAt: number) => number;
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
      /** The provider or normaliser changed since the last snapshot: this check re-baselined silently. */
      methodChanged: boolean;
    };

/**
 * One check of one customer: fetch → normalise → diff → one transaction. The CLI `check` and the
 * scan queue both call this, so there is one code path.
 */
export async function checkCustomer(deps: CheckDeps, uscc: string, signal: AbortSignal): Promise<CheckOutcome> {
  const customer = await deps.store.findCustomer(uscc);
  if (!customer) return { kind: 'unknown_customer', uscc };

  const raw = await deps.provider.fetchSections(customer.uscc, signal);
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
  const fetched = toFetchedSections(raw, deps.hash, { uscc: customer.uscc });
  const failedSections = SECTION_NAMES.flatMap((section) => {
    const result = fetched[section];
    return result === undefined || result.ok ? [] : [{ section, error: result.error }];
  });

  const checkedAt = deps.clock();
  const previous = await deps.store.latestSnapshot(customer.id);
  const method: SnapshotMethod = {
    provider: deps.provider.id,
    providerVersion: deps.provider.version,
    normaliserVersion: NORMALISER_VERSION,
  };
  const methodChanged =
    previous !== undefined &&
    (previous.method.provider !== method.provider ||
      previous.method.providerVersion !== method.providerVersion ||
      previous.method.normaliserVersion !== method.normaliserVersion);

  const diff = diffSnapshots(previous?.body ?? null, fetched, { methodChanged });
  const health = assessMonitoring(
    { consecutiveFailures: customer.consecutiveFailures, degraded: customer.degraded },
    anySectionFailed(fetched),
    deps.degradedAfter,
  );

  // The snapshot row, not its content hash: a state can recur (revoked, active, revoked again), and
  // the second transition must get an id of its own.
  const against = previous === undefined ? NO_PREVIOUS : `snapshot-${previous.id}`;
  const nextHash = snapshotHash(diff.next, deps.hash);
  const neverRead = SECTION_NAMES.every((section) => (diff.next[section] ?? null) === null);
  // Until every section has been read under a new method, keep the old method's stamp (see methodAdopted).
  const adopt = previous === undefined || diff.methodAdopted;
  const storedMethod = adopt ? method : previous.method;
  const writeSnapshot =
    !neverRead && (previous === undefined || previous.hash !== nextHash || (methodChanged && adopt));

  const drafts: Array<{ draft: EventDraft; against: string }> = diff.events.map((draft) => ({ draft, against }));
  if (health.event) {
    // A monitoring event belongs to the streak, identified by the last check before it.
    drafts.push({ draft: health.event, against: `${against}@${String(customer.lastCheckedAt ?? 'never')}` });
  }
  const events = drafts.map(({ draft, against: base }) => toStoredEvent(deps, customer, draft, base, checkedAt));
  // Noise control: an event is grouped into a higher-tier one nobody has acknowledged yet, whether
  // stored earlier or found by this same check.
  const outstanding = events.length === 0 ? [] : [...(await deps.store.unacknowledgedTiers(customer.id)), ...events.map((e) => e.tier)];
  const deliveries: DeliveryDraft[] = events.flatMap((event) =>
    routeEvent(event, customer.tags, deps.routing, {
      higherTierOutstanding: outstanding.some((tier) => TIERS.indexOf(tier) < TIERS.indexOf(event.tier)),
    }).map((route) => ({ eventId: event.id, ...route })),
  );

  const { newEventIds } = await deps.store.recordCheck({
    customerId: customer.id,
    checkedAt,
    nextCheckAt: nextCheckAfter(deps, checkedAt, health.consecutiveFailures, advisedWaitMs(failedSections)),
    ...(writeSnapshot ? { snapshot: { hash: nextHash, method: storedMethod, body: diff.next } } : {}),
    events,
    deliveries,
    consecutiveFailures: health.consecutiveFailures,
    lastError: failedSections.map((f) => `${f.section}: ${f.error.message}`).join('; ') || null,
    degraded: health.degraded,
  });
  const fresh = new Set(newEventIds);
  return {
    kind: 'checked',
    uscc,
    events: events.filter((event) => fresh.has(event.id)),
    failedSections,
    snapshotWritten: writeSnapshot,
    methodChanged,
  };
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
function nextCheckAfter(deps: CheckDeps, checkedAt: number, consecutiveFailures: number, advisedMs: number): number {
  const scheduled = deps.nextCheckAt(checkedAt);
  if (consecutiveFailures === 0) return scheduled;
  const retryMs = Math.min(60_000 * 2 ** Math.min(consecutiveFailures - 1, 10), 3_600_000);
  return Math.max(Math.min(scheduled, checkedAt + retryMs), checkedAt + advisedMs);
}

/** The longest wait the provider advised for a failed section of this check, in ms (0: none). */
function advisedWaitMs(failedSections: ReadonlyArray<{ error: ProviderError }>): number {
  return Math.max(0, ...failedSections.map((f) => f.error.retryAfterMs ?? 0));
}
