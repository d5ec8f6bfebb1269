/** Queue and job names: part of the public contract (DESIGN "Queues"). */
export const QUEUE = { sweep: 'sweep', scan: 'scan', deliver: 'deliver' } as const;

export const JOB = {
  /** On `sweep`: the scheduler's tick that enqueues due customers. */
  tick: 'tick',
  /** On `scan`: one scheduled or fanned-out check of one customer. */
  check: 'check',
  /** On `scan`: the public manual re-scan, `{uscc}`, `{all: true}` or `{tag}`. */
  rescan: 'rescan',
  /** On `sweep`: the daily digest e-mail. */
  digest: 'digest',
  /** On `deliver`: one outbox row. */
  deliver: 'deliver',
} as const;

export const SWEEP_SCHEDULER_ID = 'sweep-every-minute';
export const DIGEST_SCHEDULER_ID = 'digest-daily';

/**
 * Priorities (lower runs first; 0, the default, runs before any prioritised job). A public `rescan`
 * added with no options therefore runs ahead of everything; its fan-out runs ahead of scheduled work.
 */
export const PRIORITY = { rescanFanOut: 1, scheduled: 10 } as const;

/** BullMQ job ids may not contain ":" and may not be integers. */
export function jobId(...parts: Array<string | number>): string {
  return parts.map((p) => String(p).replaceAll(':', '_')).join('-');
}
