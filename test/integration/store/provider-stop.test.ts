/** The provider-stop record in the store and its control: one record fleet-wide, cleared on resume. */
import { beforeEach, describe, expect, it } from 'vitest';
import { PROVIDER_STOP_KEY, readProviderStop } from '../../../src/app/provider-stop.js';
import { createProviderStopControl } from '../../../src/jobs/provider-stop-control.js';
import type { MetaRepository } from '../../../src/store/meta-repository.js';
import { captureLogs } from '../../helpers/log-capture.js';
import { STORE_DIALECTS, useTestStores } from '../../helpers/test-stores.js';

/** Records pause/resume calls in order, as the BullMQ queue would receive them. */
function fakeQueue() {
  const calls: string[] = [];
  return {
    calls,
    pause: () => { calls.push('pause'); return Promise.resolve(); },
    resume: () => { calls.push('resume'); return Promise.resolve(); },
  };
}

describe.each(STORE_DIALECTS)('the provider-stop record on %s', (dialect) => {
  const stores = useTestStores(dialect);
  let meta: MetaRepository;
  beforeEach(async () => {
    meta = (await stores.open()).repos.meta;
  });

  describe('meta setIfAbsent and delete', () => {
    it('only the first writer wins; delete says whether there was a row', async () => {
      expect(await meta.setIfAbsent('k', 'a')).toBe(true);
      expect(await meta.setIfAbsent('k', 'b')).toBe(false);
      expect(await meta.get('k')).toBe('a');
      expect(await meta.delete('k')).toBe(true);
      expect(await meta.delete('k')).toBe(false);
    });
  });

  describe('provider stop control', () => {
    it('many refusals: every one pauses, one records and alerts', async () => {
      const queue = fakeQueue();
      const logs = captureLogs();
      const control = createProviderStopControl({ provider: 'qichacha', store: meta, scanQueue: queue, logger: logs.logger, clock: () => Date.parse('2026-11-27T08:00:00Z') });
      await Promise.all([1, 2, 3].map(() => control.stop({ kind: 'quota', message: 'qichacha registration X: 账号剩余使用量已不足 (Status 112)' })));
      expect(queue.calls).toEqual(['pause', 'pause', 'pause']);
      expect(logs.lines().filter((l) => l.level === 50)).toHaveLength(1);
      expect(await readProviderStop(meta)).toEqual({
        provider: 'qichacha',
        kind: 'quota',
        message: 'qichacha registration X: 账号剩余使用量已不足 (Status 112)',
        at: '2026-11-27T08:00:00.000Z',
        resumeAt: null,
      });
    });

    it('an advised wait resumes on its own once it is over, not before', async () => {
      const queue = fakeQueue();
      let now = Date.parse('2026-11-27T08:00:00Z');
      const control = createProviderStopControl({ provider: 'qichacha', store: meta, scanQueue: queue, logger: captureLogs().logger, clock: () => now });
      await control.stop({ kind: 'quota', message: 'quota until tomorrow', retryAfterMs: 3_600_000 });
      expect((await control.current())?.resumeAt).toBe('2026-11-27T09:00:00.000Z');
      now += 3_599_000;
      await control.resumeIfDue();
      expect(queue.calls).toEqual(['pause']);
      now += 1_000;
      await control.resumeIfDue();
      expect(queue.calls).toEqual(['pause', 'resume']);
      expect(await control.current()).toBeUndefined();
    });

    it('without an advised wait only an operator (or a restart) resumes', async () => {
      const queue = fakeQueue();
      const control = createProviderStopControl({ provider: 'tianyancha', store: meta, scanQueue: queue, logger: captureLogs().logger, clock: () => 0 });
      await control.stop({ kind: 'auth', message: 'token refused (error_code 300003)' });
      await control.resumeIfDue();
      expect(queue.calls).toEqual(['pause']);
      expect((await control.resume('operator'))?.kind).toBe('auth');
      expect(queue.calls).toEqual(['pause', 'resume']);
    });

    it('an unreadable record still counts as a stop', async () => {
      await meta.set(PROVIDER_STOP_KEY, 'not json');
      expect(await readProviderStop(meta)).toMatchObject({ message: 'unreadable provider stop record' });
    });
  });
});
