import { describe, expect, it } from 'vitest';
import { assessMonitoring, type MonitoringState } from '../../src/domain/monitoring.js';

/** Runs a sequence of checks (true = some section failed) and lists the events that came out. */
function run(checks: boolean[], degradedAfter = 3): { events: (string | null)[]; state: MonitoringState } {
  let state: MonitoringState = { consecutiveFailures: 0, degraded: false };
  const events: (string | null)[] = [];
  for (const failed of checks) {
    const result = assessMonitoring(state, failed, degradedAfter);
    events.push(result.event?.type ?? null);
    state = { consecutiveFailures: result.consecutiveFailures, degraded: result.degraded };
  }
  return { events, state };
}

describe('assessMonitoring', () => {
  it.each([
    { name: 'all fine', checks: [false, false], events: [null, null] },
    { name: 'two failures are not yet degraded', checks: [true, true], events: [null, null] },
    { name: 'the third is', checks: [true, true, true], events: [null, null, 'monitoring.degraded'] },
    { name: 'degraded once per streak', checks: [true, true, true, true, true], events: [null, null, 'monitoring.degraded', null, null] },
    { name: 'recovered once', checks: [true, true, true, false, false], events: [null, null, 'monitoring.degraded', 'monitoring.recovered', null] },
    { name: 'a success breaks the streak', checks: [true, true, false, true, true], events: [null, null, null, null, null] },
    { name: 'a new streak degrades again', checks: [true, true, true, false, true, true, true], events: [null, null, 'monitoring.degraded', 'monitoring.recovered', null, null, 'monitoring.degraded'] },
  ])('$name', ({ checks, events }) => {
    expect(run(checks).events).toEqual(events);
  });

  it('counts the streak and resets it', () => {
    expect(run([true, true, true, true]).state).toEqual({ consecutiveFailures: 4, degraded: true });
    expect(run([true, true, true, true, false]).state).toEqual({ consecutiveFailures: 0, degraded: false });
  });

  it('honours the threshold, treating values below 1 as 1', () => {
    expect(run([true], 1).events).toEqual(['monitoring.degraded']);
    expect(run([true], 0).events).toEqual(['monitoring.degraded']);
  });

  it('fires when the threshold is lowered below a running streak', () => {
    expect(assessMonitoring({ consecutiveFailures: 5, degraded: false }, true, 3).event?.type).toBe('monitoring.degraded');
  });

  it('describes the streak in the event', () => {
    expect(assessMonitoring({ consecutiveFailures: 2, degraded: false }, true, 3).event).toEqual({
      type: 'monitoring.degraded',
      baseline: false,
      change: { field: 'consecutiveFailures', before: '2', after: '3' },
    });
  });
});
