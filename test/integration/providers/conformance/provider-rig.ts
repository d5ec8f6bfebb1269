/**
 * What the provider conformance suite needs from each adapter under test: the adapter itself, and a
 * fake of its provider that can be told, in words common to every provider, what to answer. Each
 * rig translates those words into its provider's own wire format and codes (the 天眼查 and 企查查
 * fakes, the mock provider server).
 */
import type { HttpClient } from '../../../../src/providers/http-client.js';
import type { CreditProvider } from '../../../../src/providers/provider.js';

/** One list entry in provider-neutral words; each rig writes it in its wire form. */
export interface RigEntry {
  /** "YYYY-MM-DD". */
  listedOn: string;
  reason: string;
  authority: string;
}

/** The company a rig serves: registration facts and its two core lists. */
export interface RigCompany {
  uscc: string;
  name: string;
  abnormalOperations: RigEntry[];
  seriousViolations: RigEntry[];
}

export type RigSection = 'registration' | 'abnormalOperations';

/**
 * How an answer fails. `auth`, `quota`, `rate_limited` (no advised wait), `transient` and
 * `bad_schema` (a valid envelope whose data is of the wrong shape) use the provider's own answer
 * for them; `rate_limited_for_7s` is an HTTP 429 with `Retry-After: 7` (or the provider's own form
 * with an advised wait); `malformed` is a body that is not JSON; `oversize` is a body of about 64 KB.
 */
export const RIG_FAILURES = ['auth', 'quota', 'rate_limited', 'rate_limited_for_7s', 'transient', 'bad_schema', 'malformed', 'oversize'] as const;
export type RigFailure = (typeof RIG_FAILURES)[number];

export interface ProviderRig {
  /** The adapter under test over this rig's fake, with both optional sections on. */
  provider(http: HttpClient): CreditProvider;
  /** Serves this company and no other (plus, where the fake needs one, a second company for foreign bodies). */
  serve(company: RigCompany): Promise<void>;
  /** From now on, empty lists answer in this form (one of the descriptor's `noDataForms`). */
  useNoDataForm(form: string): void;
  /** The registration answer for `uscc` names `creditCode` instead (`null`: no code at all). */
  answerRegistrationAs(uscc: string, creditCode: string | null): Promise<void>;
  /** The next answer for `section` (its page `page`, default 1) fails this way; other answers are normal. */
  fail(section: RigSection, failure: RigFailure, page?: number): Promise<void>;
  /** Requests the fake has received for `section` since the last `serve`. */
  calls(section: RigSection): Promise<number>;
  close(): Promise<void>;
}

/** An adapter under test, known before its rig starts (the cases are listed at collection time). */
export interface RigDescriptor {
  /** The adapter's id, as stored with snapshots. */
  id: string;
  /** The provider's published forms of an explicit "no data" answer to a list. */
  noDataForms: readonly string[];
  start: () => Promise<ProviderRig>;
}
