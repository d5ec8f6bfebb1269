import type { SectionName } from '../../domain/sections.js';
import type { FaultKind } from './fault-injector.js';

/** Seconds of per-second counts kept; older seconds are dropped so memory stays bounded. */
const WINDOW_SECONDS = 60;
/** Companies counted one by one; beyond this, requests go to `byUscc["(other)"]`. */
const MAX_TRACKED_COMPANIES = 10_000;

export type RequestKind = SectionName | 'other';

export interface MockStats {
  /** ISO time of the last reset (or of the start). */
  since: string;
  /** Provider-API requests (everything outside `/_control/`). */
  requestsTotal: number;
  /** Provider-API requests by section; "other" is an unknown path. */
  byKind: Record<RequestKind, number>;
  /** Answers by HTTP status; "none" for timeouts and resets. */
  byStatus: Record<string, number>;
  byUscc: Record<string, number>;
  faultsInjected: Partial<Record<FaultKind, number>>;
  /** Requests being served right now, and the most at once since the reset. */
  inFlight: number;
  maxInFlight: number;
  /** Requests started in each of the last 60 seconds that saw any (epoch seconds), oldest first. */
  recentPerSecond: { second: number; count: number }[];
  /** Most requests started within one second, over the recent window. */
  peakPerSecond: number;
  controlRequests: number;
}

/** Counts what the mock served, with bounded memory. */
export class RequestStats {
  #stats = RequestStats.#empty();
  #seconds = new Map<number, number>();
  #inFlight = 0;
  // Counted apart from byUscc: Object.keys on every request made the mock O(companies) per request.
  #trackedCompanies = 0;

  static #empty(): Omit<MockStats, 'recentPerSecond' | 'peakPerSecond' | 'inFlight'> {
    return {
      since: new Date().toISOString(),
      requestsTotal: 0,
      byKind: {
        registration: 0,
        abnormalOperations: 0,
        seriousViolations: 0,
        administrativePenalties: 0,
        dishonestDebtors: 0,
        annualReports: 0,
        other: 0,
      },
      byStatus: {},
      byUscc: {},
      faultsInjected: {},
      maxInFlight: 0,
      controlRequests: 0,
    };
  }

  /** Call when a provider-API request arrives; the returned function is called once when it ends. */
  started(kind: RequestKind, uscc: string | undefined): () => void {
    const stats = this.#stats;
    stats.requestsTotal += 1;
    stats.byKind[kind] += 1;
    if (uscc !== undefined) {
      let key = uscc;
      if (!(uscc in stats.byUscc)) {
        if (this.#trackedCompanies < MAX_TRACKED_COMPANIES) this.#trackedCompanies += 1;
        else key = '(other)';
      }
      stats.byUscc[key] = (stats.byUscc[key] ?? 0) + 1;
    }
    const second = Math.floor(Date.now() / 1000);
    this.#seconds.set(second, (this.#seconds.get(second) ?? 0) + 1);
    this.#prune(second);
    this.#inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, this.#inFlight);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#inFlight -= 1;
    };
  }

  answered(status: number | 'none'): void {
    const key = String(status);
    this.#stats.byStatus[key] = (this.#stats.byStatus[key] ?? 0) + 1;
  }

  faultInjected(kind: FaultKind): void {
    this.#stats.faultsInjected[kind] = (this.#stats.faultsInjected[kind] ?? 0) + 1;
  }

  control(): void {
    this.#stats.controlRequests += 1;
  }

  reset(): void {
    this.#stats = RequestStats.#empty();
    this.#trackedCompanies = 0;
    this.#seconds.clear();
    this.#stats.maxInFlight = this.#inFlight;
  }

  snapshot(): MockStats {
    this.#prune(Math.floor(Date.now() / 1000));
    const recentPerSecond = [...this.#seconds].sort(([a], [b]) => a - b).map(([second, count]) => ({ second, count }));
    return {
      ...structuredClone(this.#stats),
      inFlight: this.#inFlight,
      recentPerSecond,
      peakPerSecond: Math.max(0, ...recentPerSecond.map(({ count }) => count)),
    };
  }

  #prune(nowSecond: number): void {
    for (const second of this.#seconds.keys()) {
      if (second <= nowSecond - WINDOW_SECONDS) this.#seconds.delete(second);
    }
  }
}
