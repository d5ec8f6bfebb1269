/**
 * Fault 12, "the limit holds where the provider measures it": the built worker against a strict
 * 天眼查 that refuses (300004) any request over its allowance in any sliding second, measured at
 * arrival. With CM_PROVIDER_RATE within the allowance nothing is refused; with CM_PROVIDER_RATE far
 * above it, refusals are pacing: no customer fails, and each burst of concurrent refusals is one
 * pause event, not one per refused check. Behaviour only; the timings are in `npm run bench`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { testState } from '../../helpers/mock-provider-fixtures.js';
import { customerRows, importCustomers, storedEvents } from '../../helpers/fault-oracle.js';
import { startFaultRig, type FaultRig } from '../../helpers/fault-rig.js';
import { pollUntil } from '../../helpers/poll-until.js';
import { startTianyanchaFake, tycBaseInfo, type TianyanchaFake, type TianyanchaFakeOptions } from '../../helpers/tianyancha-fake.js';
import { validUscc } from '../../helpers/valid-uscc.js';

const companies = (count: number): Array<{ uscc: string; name: string }> =>
  Array.from({ length: count }, (_, n) => ({ uscc: validUscc(700 + n), name: `限速测试${n}有限公司` }));

/** Pause events the worker logged (one warn line each). */
function pauseEvents(stderr: string): number {
  return stderr.split('\n').filter((line) => line.includes('provider rate limit: pausing')).length;
}

/** Runs of consecutive refusals in the provider's arrival order: each is one burst. */
function refusalBursts(fake: TianyanchaFake): number {
  return fake.refusedAt.filter((index, i) => i === 0 || fake.refusedAt[i - 1] !== index - 1).length;
}

describe('a provider that allows Q requests in any sliding second', () => {
  let rig: FaultRig | undefined;
  let fake: TianyanchaFake | undefined;

  afterEach(async () => {
    await rig?.cleanup();
    await fake?.close();
  });

  async function start(count: number, fakeOptions: TianyanchaFakeOptions, rate: string): Promise<{ rig: FaultRig; fake: TianyanchaFake }> {
    fake = await startTianyanchaFake(undefined, fakeOptions);
    const customers = companies(count);
    for (const c of customers) fake.companies.set(c.uscc, { baseInfo: tycBaseInfo(c.uscc, { name: c.name }), abnormal: [], illegal: [] });
    rig = await startFaultRig({
      state: testState(),
      env: { CM_PROVIDER: 'tianyancha', CM_PROVIDER_URL: fake.url, CM_TIANYANCHA_TOKEN: fake.token, CM_PROVIDER_RATE: rate, CM_RATE_LIMIT_PAUSE: '1s' },
    });
    await importCustomers(rig, customers);
    return { rig, fake };
  }

  async function everyCustomerChecked(r: FaultRig, timeoutMs: number): Promise<void> {
    await pollUntil(async () => (await customerRows(r)).every((c) => c.last_checked_at !== null), { timeoutMs, intervalMs: 100, what: 'every customer checked' });
  }

  it('CM_PROVIDER_RATE=4 against Q=5, slow answers, more checks at once than connections: nothing is refused', { timeout: 90_000 }, async () => {
    // 300-400 ms answers and 16 checks at once (48 requests over 10 connections). A limiter that
    // admits its allowance in bursts at the edges of its own window is refused here even with a
    // fifth of headroom: two bursts a second apart by our clock arrive within one second at the
    // provider's. Evenly paced requests are not. (CM_PROVIDER_RATE = Q exactly is the bench's case.)
    const { rig: r, fake: f } = await start(24, { perSecond: 5, latencyMs: [300, 400] }, '4');
    const worker = r.spawnWorker({ args: ['--concurrency', '16', '--sweep-every', '1s', '--maintenance-every', '1s'] });
    await everyCustomerChecked(r, 60_000);

    expect(f.refusedAt, 'requests the provider refused').toEqual([]);
    expect(pauseEvents(worker.stderr())).toBe(0);
    expect(f.requests).toHaveLength(24 * 3);
    worker.child.kill('SIGTERM');
    expect(await worker.exited, worker.stderr()).toEqual({ code: 0, signal: null });
  });

  it('CM_PROVIDER_RATE far above Q: one pause event per burst of refusals, and no customer fails', { timeout: 90_000 }, async () => {
    const { rig: r, fake: f } = await start(24, { perSecond: 6, latencyMs: [20, 60] }, '50');
    const worker = r.spawnWorker({ args: ['--concurrency', '8', '--sweep-every', '1s', '--maintenance-every', '1s'] });
    await everyCustomerChecked(r, 60_000);

    const bursts = refusalBursts(f);
    const pauses = pauseEvents(worker.stderr());
    expect(bursts, 'the provider refused something (the test needs it)').toBeGreaterThan(0);
    expect(pauses, `pause events for ${bursts} burst(s) of ${f.refusedAt.length} refusals`).toBeGreaterThan(0);
    expect(pauses).toBeLessThanOrEqual(bursts);
    process.stderr.write(`[provider-rate-window] ${JSON.stringify({ requests: f.requests.length, refused: f.refusedAt.length, bursts, pauses })}\n`);
    // A refusal is pacing: no failed section, no monitoring event, nothing counted against a customer.
    expect((await customerRows(r)).map((c) => c.consecutive_failures)).toEqual(companies(24).map(() => 0));
    expect((await storedEvents(r)).filter((e) => e.type.startsWith('monitoring.'))).toEqual([]);
    worker.child.kill('SIGTERM');
    expect(await worker.exited, worker.stderr()).toEqual({ code: 0, signal: null });
  });
});
