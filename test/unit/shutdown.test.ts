import { describe, expect, it } from 'vitest';
import { createReleasers } from '../../src/lifecycle/releasers.js';
import { createShutdown } from '../../src/lifecycle/shutdown.js';
import { captureLogs } from '../helpers/log-capture.js';

/** A daemon in miniature: `drain` finishes when `finishWork` is called (or never), every step is recorded. */
function rig(graceMs: number) {
  const steps: string[] = [];
  const logs = captureLogs();
  const releasers = createReleasers({ onProblem: (p) => { steps.push(`problem ${p.name}`); } });
  releasers.push('sqlite', () => { steps.push('release sqlite'); });
  releasers.push('workers', () => { steps.push('release workers'); });
  let finishWork = (): void => undefined;
  const shutdown = createShutdown({
    releasers,
    graceMs,
    drain: () => {
      steps.push('drain');
      return new Promise<void>((resolve) => { finishWork = resolve; });
    },
    abandon: () => { steps.push('abandon'); },
    logger: logs.logger,
  });
  return { steps, logs, shutdown, finishWork: () => { finishWork(); } };
}

describe('createShutdown', () => {
  it('graceful: drains, then releases newest first; repeated calls share the one run', async () => {
    const r = rig(60_000);
    const first = r.shutdown.close();
    const again = r.shutdown.close();
    r.finishWork();
    await Promise.all([first, again]);
    expect(r.steps).toEqual(['drain', 'release workers', 'release sqlite']);
    expect(r.logs.matching('grace exceeded')).toEqual([]);
  });

  it('past the grace: abandons the running work, says so, and releases', async () => {
    const r = rig(10);
    await r.shutdown.close();
    expect(r.steps).toEqual(['drain', 'abandon', 'release workers', 'release sqlite']);
    expect(r.logs.matching('shutdown grace exceeded: forcing')).toEqual([expect.objectContaining({ level: 40, graceMs: 10 })]);
  });

  it('a drain that fails is forced at once', async () => {
    const logs = captureLogs();
    const steps: string[] = [];
    const releasers = createReleasers({ onProblem: () => undefined });
    releasers.push('sqlite', () => { steps.push('release sqlite'); });
    const shutdown = createShutdown({
      releasers, graceMs: 60_000, logger: logs.logger,
      drain: () => Promise.reject(new Error('redis gone')),
      abandon: () => { steps.push('abandon'); },
    });
    await shutdown.close();
    expect(steps).toEqual(['abandon', 'release sqlite']);
    expect(logs.matching('graceful shutdown step failed')).toEqual([expect.objectContaining({ err: 'redis gone' })]);
  });

  it('forced: abandons at once and releases, without draining', async () => {
    const r = rig(60_000);
    await r.shutdown.close(true);
    expect(r.steps).toEqual(['abandon', 'release workers', 'release sqlite']);
  });

  it('signals: the first closes gracefully, the second forces at once while the first still waits', async () => {
    const r = rig(60_000);
    const first = r.shutdown.signal('SIGTERM');
    const second = r.shutdown.signal('SIGINT');
    await second;
    expect(r.steps).toEqual(['drain', 'abandon', 'release workers', 'release sqlite']);
    r.finishWork();
    await first;
    expect(r.steps).toHaveLength(4);
    expect(r.logs.lines().map((l) => [l.msg, l.signal])).toEqual([
      ['shutting down gracefully', 'SIGTERM'],
      ['second signal: forcing shutdown', 'SIGINT'],
    ]);
  });
});
