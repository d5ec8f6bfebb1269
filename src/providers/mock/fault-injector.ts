import { z } from 'zod';
import type { SectionName } from '../../domain/sections.js';
import { createSeededRandom } from './seeded-random.js';
import { sectionFromPath } from './wire-paths.js';

export const FAULT_KINDS = [
  '5xx', // HTTP 503 (or `httpStatus`) with a JSON error envelope
  'rate_limit', // HTTP 429 (or `httpStatus`, e.g. 200 for a business-level code) + Retry-After
  'timeout', // accept the request and never answer
  'malformed', // HTTP 200, body is not JSON
  'truncated', // declared Content-Length (or chunked), half the body, then the connection is cut
  'foreign', // registration answered with another company's body (registration only)
  'html', // an HTML error page (HTTP 200 unless `httpStatus`)
  'latency', // answer normally after `latencyMs`
  'not_found', // {"code":404} explicit "no such company"
  'no_data', // {"code":204} explicit "no data"
  'auth', // HTTP 401
  'quota', // {"code":402} balance exhausted
  'bad_schema', // valid JSON of the wrong shape
  'reset', // TCP reset before any answer
  'redirect', // HTTP 302 to another path
  'oversize', // a valid JSON body of `bytes` bytes (default 3 MiB), streamed
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const faultSpecSchema = z
  .strictObject({
    kind: z.enum(FAULT_KINDS),
    /** Only requests for this company; all companies when absent. */
    uscc: z.string().optional(),
    /** Only this section ("registration", "abnormalOperations"/"abnormal-operations", …). */
    section: z
      .string()
      .transform((value, ctx) => {
        const section = sectionFromPath(value);
        if (section !== undefined) return section;
        ctx.addIssue({ code: 'custom', message: `unknown section ${value}` });
        return z.NEVER;
      })
      .optional(),
    /** How many requests it hits, then it is gone; unlimited until cleared when absent. */
    times: z.int().positive().optional(),
    /** Chance in [0, 1] that a matching request is hit; drawn from a PRNG seeded with `seed`. */
    probability: z.number().min(0).max(1).optional(),
    /** Seed for `probability`; default 1, so runs repeat unless asked otherwise. */
    seed: z.int().optional(),
    /** Delay before answering (or before the fault), in ms. Required for `latency`. */
    latencyMs: z.int().nonnegative().max(600_000).optional(),
    /** Retry-After seconds for `rate_limit`; no header when absent (like 天眼查 300004). */
    retryAfterSeconds: z.int().nonnegative().optional(),
    /** HTTP status for `5xx` (default 503), `rate_limit` (default 429) and `html` (default 200). */
    httpStatus: z.int().min(200).max(599).optional(),
    /** Body size for `oversize`, in bytes. Default 3 MiB. */
    bytes: z.int().positive().max(64 * 1024 * 1024).optional(),
    /** How `truncated` frames the body. Default "content-length". */
    framing: z.enum(['content-length', 'chunked']).optional(),
  })
  .refine((spec) => spec.kind !== 'latency' || spec.latencyMs !== undefined, {
    error: 'latency needs latencyMs',
    path: ['latencyMs'],
  })
  .refine((spec) => spec.kind !== 'foreign' || spec.section === undefined || spec.section === 'registration', {
    error: 'foreign applies to registration only (list answers carry no code)',
    path: ['section'],
  });

export type FaultSpec = z.output<typeof faultSpecSchema>;
export type ActiveFault = FaultSpec & { id: string; remaining: number | null };

interface Entry {
  fault: ActiveFault;
  random: () => number;
}

/** Holds the injected faults and decides, request by request, which one (if any) applies. */
export class FaultInjector {
  #entries: Entry[] = [];
  #nextId = 1;

  add(spec: FaultSpec): ActiveFault {
    const fault: ActiveFault = { ...spec, id: `F${this.#nextId++}`, remaining: spec.times ?? null };
    this.#entries.push({ fault, random: createSeededRandom(spec.seed ?? 1) });
    return { ...fault };
  }

  list(): ActiveFault[] {
    return this.#entries.map(({ fault }) => ({ ...fault }));
  }

  clear(): void {
    this.#entries = [];
  }

  remove(id: string): boolean {
    const before = this.#entries.length;
    this.#entries = this.#entries.filter(({ fault }) => fault.id !== id);
    return this.#entries.length !== before;
  }

  /**
   * The first fault, in the order added, that matches this request and fires (its probability
   * drawn); it uses up one of its `times`. Undefined means answer normally.
   */
  pick(uscc: string, section: SectionName): ActiveFault | undefined {
    for (const entry of this.#entries) {
      const { fault } = entry;
      if (!matches(fault, uscc, section)) continue;
      if (fault.probability !== undefined && entry.random() >= fault.probability) continue;
      if (fault.remaining !== null) {
        fault.remaining -= 1;
        if (fault.remaining <= 0) this.#entries = this.#entries.filter((other) => other !== entry);
      }
      return { ...fault };
    }
    return undefined;
  }
}

function matches(fault: ActiveFault, uscc: string, section: SectionName): boolean {
  if (fault.uscc !== undefined && fault.uscc !== uscc) return false;
  if (fault.section !== undefined && fault.section !== section) return false;
  // A foreign body only means something where the answer names a company.
  return fault.kind !== 'foreign' || section === 'registration';
}
