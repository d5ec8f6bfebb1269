/** An unmonitored customer is itself a compliance risk: failure streaks become events. */
import type { EventDraft } from './events.js';

export interface MonitoringState {
  /** Checks in a row with at least one failed section. */
  consecutiveFailures: number;
  /** A `monitoring.degraded` event is outstanding (no `monitoring.recovered` since). */
  degraded: boolean;
}

export interface MonitoringAssessment extends MonitoringState {
  /** `monitoring.degraded` or `monitoring.recovered` when this check crossed a boundary, else null. */
  event: EventDraft | null;
}

/**
 * Updates the failure streak after one check. Degraded fires once, when the streak reaches
 * `degradedAfter` (CM_DEGRADED_AFTER, default 3; values below 1 count as 1); recovered fires once,
 * at the first check after that in which every section succeeded.
 */
export function assessMonitoring(
  state: MonitoringState,
  anySectionFailed: boolean,
  degradedAfter: number,
): MonitoringAssessment {
  if (anySectionFailed) {
    const consecutiveFailures = state.consecutiveFailures + 1;
    // `>=`, not `===`: a threshold lowered in config below a running streak still fires (once).
    if (!state.degraded && consecutiveFailures >= Math.max(1, degradedAfter)) {
      const event = monitoringDraft('monitoring.degraded', state, consecutiveFailures);
      return { consecutiveFailures, degraded: true, event };
    }
    return { consecutiveFailures, degraded: state.degraded, event: null };
  }
  if (state.degraded) {
    return { consecutiveFailures: 0, degraded: false, event: monitoringDraft('monitoring.recovered', state, 0) };
  }
  return { consecutiveFailures: 0, degraded: false, event: null };
}

/** `change` carries the streak length so that messages can say "3 checks in a row failed". */
function monitoringDraft(
  type: 'monitoring.degraded' | 'monitoring.recovered',
  before: MonitoringState,
  after: number,
): EventDraft {
  return {
    type,
    baseline: false,
    change: { field: 'consecutiveFailures', before: String(before.consecutiveFailures), after: String(after) },
  };
}
