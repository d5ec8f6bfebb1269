import { describe, expect, it } from 'vitest';
import { createReleasers, type ReleaseProblem } from '../../src/lifecycle/releasers.js';

function recording(stepMs?: number) {
  const released: string[] = [];
  const problems: ReleaseProblem[] = [];
  const releasers = createReleasers({ ...(stepMs === undefined ? {} : { stepMs }), onProblem: (p) => { problems.push(p); } });
  return { releasers, released, problems };
}

describe('createReleasers', () => {
  it('releases in reverse order of registration, each once', async () => {
    const { releasers, released } = recording();
    for (const name of ['sqlite', 'redis', 'queues']) releasers.push(name, () => { released.push(name); });
    await releasers.releaseAll();
    await releasers.releaseAll();
    expect(released).toEqual(['queues', 'redis', 'sqlite']);
  });

  it('goes on past a release that throws or rejects, and reports each', async () => {
    const { releasers, released, problems } = recording();
    releasers.push('first', () => { released.push('first'); });
    releasers.push('throws', () => { throw new Error('boom'); });
    releasers.push('rejects', () => Promise.reject(new Error('nope')));
    releasers.push('last', () => { released.push('last'); });
    await releasers.releaseAll();
    expect(released).toEqual(['last', 'first']);
    expect(problems.map((p) => [p.kind, p.name, p.kind === 'error' ? (p.error as Error).message : ''])).toEqual([
      ['error', 'rejects', 'nope'],
      ['error', 'throws', 'boom'],
    ]);
  });

  it('bounds each step by stepMs: a release that hangs is reported and the next one runs', async () => {
    const { releasers, released, problems } = recording(20);
    releasers.push('first', () => { released.push('first'); });
    releasers.push('hangs', () => new Promise<void>(() => undefined));
    await releasers.releaseAll();
    expect(released).toEqual(['first']);
    expect(problems).toEqual([{ kind: 'timeout', name: 'hangs', afterMs: 20 }]);
  });

  it('a second call while releasing waits for the first, then releases what was pushed since', async () => {
    const { releasers, released } = recording();
    let finish = (): void => undefined;
    const started = new Promise<void>((startedSlow) => {
      releasers.push('slow', () => new Promise<void>((resolve) => {
        finish = () => { released.push('slow'); resolve(); };
        startedSlow();
      }));
    });
    const first = releasers.releaseAll();
    await started;
    releasers.push('later', () => { released.push('later'); });
    let secondDone = false;
    const second = releasers.releaseAll().then(() => { secondDone = true; });
    await new Promise((resolve) => setImmediate(resolve));
    expect(secondDone).toBe(false);
    finish();
    await Promise.all([first, second]);
    expect(released).toEqual(['slow', 'later']);
  });
});
