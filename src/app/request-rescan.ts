/**
 * Asking for manual re-scans (the CLI's `rescan`): weigh a fan-out against the daily call budget,
 * record each request in the store, then queue it. Recorded first, so that a Redis that loses the job
 * loses no re-scan: the worker rebuilds open requests from the store (DESIGN "Manual re-scans are
 * durable").
 */
import { CORE_SECTION_NAMES, OPTIONAL_SECTION_NAMES, type OptionalSections } from '../domain/sections.js';

/** What a re-scan covers: one customer, every monitored customer, or those with a tag. */
export type RescanScope = { kind: 'uscc'; uscc: string } | { kind: 'all' } | { kind: 'tag'; tag: string };

/** A re-scan request as the store keeps it until every customer it covers has been checked since. */
export interface RecordedRescan {
  id: number;
  /** Epoch ms; a customer checked at or after this counts as done for the request. */
  requestedAt: number;
  requestedBy: string;
  scope: RescanScope;
  /** `rescan --force`: the fan-out's checks may go over the daily call budget. */
  force: boolean;
}

/** The store side of re-scan requests, for asking. */
export interface RescanRequestStore {
  /** Records the requests in one transaction, in order; returns them with their ids. */
  record(requests: ReadonlyArray<{ scope: RescanScope; force: boolean }>, requestedBy: string, at: number): Promise<RecordedRescan[]>;
  /** Forgets requests that could not be queued after all. */
  forget(ids: readonly number[]): Promise<void>;
  /** Customers a fan-out of `scope` checks now (monitored: not removed, not paused). */
  countCovered(scope: Exclude<RescanScope, { kind: 'uscc' }>): Promise<number>;
}

/** Adds the recorded requests' `rescan` jobs to the scan queue; returns their job ids. */
export type RescanEnqueuer = (requests: readonly RecordedRescan[]) => Promise<string[]>;

export interface RescanBudget {
  /** `provider.dailyCallBudget`; null: unlimited. */
  dailyCallBudget: number | null;
  /** Provider calls counted so far today (Asia/Shanghai day), across the fleet. */
  usedToday(): Promise<number>;
}

export interface RequestRescanDeps {
  store: RescanRequestStore;
  enqueue: RescanEnqueuer;
  budget: RescanBudget;
  /** Provider calls one check makes at least: one per section read (more for lists over a page). */
  callsPerCheck: number;
}

/** What a fan-out is estimated to cost, against what is left of today's budget. */
export interface FanOutCost {
  customers: number;
  callsPerCheck: number;
  /** customers × callsPerCheck: a floor, since a long list takes a call per page. */
  estimatedCalls: number;
  /** Null without a budget. */
  dailyCallBudget: number | null;
  usedToday: number;
  /** What is left of today's budget (never below 0); null without a budget. */
  remaining: number | null;
}

export type RescanOutcome =
  | { kind: 'queued'; requests: RecordedRescan[]; jobIds: string[]; cost?: FanOutCost }
  /** The fan-out would go over what is left of today's budget and `force` was not given: nothing recorded or queued. */
  | { kind: 'over_budget'; cost: FanOutCost };

/**
 * Provider calls one check makes at least: every core section, plus each optional one turned on but
 * the annual reports, which cost one call per customer a year, not one per check.
 */
export function callsPerCheck(optional: OptionalSections): number {
  return CORE_SECTION_NAMES.length + OPTIONAL_SECTION_NAMES.filter((name) => name !== 'annualReports' && optional[name]).length;
}

/** True when the fan-out fits in what is left of today's budget (always, without a budget). */
export function fitsBudget(cost: FanOutCost): boolean {
  return cost.remaining === null || cost.estimatedCalls <= cost.remaining;
}

/**
 * Records and queues re-scans. A single-customer re-scan always goes ahead (someone is asking about
 * that company now); a fan-out (`all`, `tag`) goes ahead only when its estimated cost fits in what is
 * left of today's call budget, unless `force`. The worker holds a fan-out's checks to the budget as
 * well (unless forced), since the estimate is a floor and scheduled checks spend the budget too.
 */
export async function requestRescans(
  deps: RequestRescanDeps,
  input: { scopes: readonly RescanScope[]; force: boolean; actor: string; now: number },
): Promise<RescanOutcome> {
  const fanOut = input.scopes.find((scope) => scope.kind !== 'uscc');
  let cost: FanOutCost | undefined;
  if (fanOut !== undefined) {
    cost = await estimate(deps, fanOut);
    if (!input.force && !fitsBudget(cost)) return { kind: 'over_budget', cost };
  }
  const requests = await deps.store.record(input.scopes.map((scope) => ({ scope, force: input.force })), input.actor, input.now);
  let jobIds: string[];
  try {
    jobIds = await deps.enqueue(requests);
  } catch (error) {
    // Not queued: the caller reports the failure, so a re-scan must not start later on its own.
    await deps.store.forget(requests.map((r) => r.id)).catch(() => undefined);
    throw error;
  }
  return { kind: 'queued', requests, jobIds, ...(cost === undefined ? {} : { cost }) };
}

async function estimate(deps: RequestRescanDeps, scope: Exclude<RescanScope, { kind: 'uscc' }>): Promise<FanOutCost> {
  const customers = await deps.store.countCovered(scope);
  const { dailyCallBudget } = deps.budget;
  const usedToday = dailyCallBudget === null ? 0 : await deps.budget.usedToday();
  return {
    customers,
    callsPerCheck: deps.callsPerCheck,
    estimatedCalls: customers * deps.callsPerCheck,
    dailyCallBudget,
    usedToday,
    remaining: dailyCallBudget === null ? null : Math.max(0, dailyCallBudget - usedToday),
  };
}
