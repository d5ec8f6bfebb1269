import type { FetchRequest, RawSections } from '../domain/sections.js';

/** The port every company-credit source implements (mock, tianyancha, qichacha). */
export interface CreditProvider {
  /** Stable provider name stored with each snapshot: "mock", "tianyancha", "qichacha". */
  readonly id: string;
  /** Adapter version; a change triggers a silent re-baseline of every customer. */
  readonly version: string;
  /**
   * Fetches every section (all pages) for one customer: the core ones, the optional ones that are
   * on, and the annual reports only when `request.annualReports` asks for them (once a year; default
   * not). Never throws for a failed section: it comes back as `{ ok: false, error }`. Honours
   * `signal` for shutdown and timeouts.
   */
  fetchSections(uscc: string, signal: AbortSignal, request?: FetchRequest): Promise<RawSections>;
  /** Releases what the adapter holds itself. Adapters receive their HTTP client, and its owner closes it. */
  close(): Promise<void>;
}
