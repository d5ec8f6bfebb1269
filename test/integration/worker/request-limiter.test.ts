/**
 * The fleet-wide request limiter on a real redis-server: requests are admitted evenly (GCRA) across
 * limiters that share the key, as separate processes and a restarted one do; a rate-limit answer
 * pauses every limiter once per burst; a pause longer than a caller waits is answered at once.
 * Spacing is asserted on the admission times Redis itself stamped, so the machine's speed does not
 * matter: the script admits a request only when the previous one is an interval old.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequestLimiter, pacingFor, ARRIVAL_JITTER_MS, type Admission, type RequestLimiter } from '../../../src/jobs/request-limiter.js';
import type { GateAnswer } from '../../../src/providers/gated-http-client.js';
import { captureLogs } from '../../helpers/log-capture.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';

const PAUSING = 'provider rate limit: pausing';

let server: RedisServer;
let redis: Redis;

beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
});
afterAll(async () => {
  await redis.quit();
  await server.stop();
});

function limiter(key: string, ratePerSecond: number, logs = captureLogs(), extra: { maxWaitMs?: number; baseMs?: number; callsKey?: string } = {}): RequestLimiter {
  const { callsKey } = extra;
  return createRequestLimiter(redis, key, {
    ratePerSecond,
    pause: { baseMs: extra.baseMs ?? 300 },
    maxWaitMs: extra.maxWaitMs ?? 60_000,
    ...(callsKey === undefined ? {} : { counting: { key: () => callsKey, keepSeconds: 60 } }),
    logger: logs.logger,
  });
}

const freshKey = (): string => `limiter-test:${randomBytes(4).toString('hex')}`;
const signal = (): AbortSignal => AbortSignal.timeout(30_000);

function admitted(answer: GateAnswer<Admission>): Admission {
  if (!answer.admitted) throw new Error(`not admitted: paused for ${answer.retryAfterMs} ms`);
  return answer.ticket;
}

describe('pacing', () => {
  it('admits evenly across limiters sharing the key and across a restart: no window of 1 s holds more than the rate', { timeout: 30_000 }, async () => {
    const key = freshKey();
    const rate = 20;
    const { emissionMs, toleranceMs } = pacingFor(rate);
    const first = limiter(key, rate);
    const second = limiter(key, rate);
    // 30 callers at once, split over two "processes".
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? first : second).acquire(signal())));
    // A restarted process: a new limiter on the same key carries on from where the fleet was.
    const restarted = limiter(key, rate);
    const after = await Promise.all(Array.from({ length: 6 }, () => restarted.acquire(signal())));
    const times = [...burst, ...after].map((a) => admitted(a).admittedAt).sort((a, b) => a - b);

    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    expect(Math.min(...gaps), 'closest two admissions (Redis ms)').toBeGreaterThanOrEqual(emissionMs - toleranceMs - 0.01);
    // Any rate + 1 consecutive admissions span more than a second, with room for arrival jitter.
    const spans = times.slice(rate).map((t, i) => t - (times[i] ?? 0));
    expect(Math.min(...spans)).toBeGreaterThanOrEqual(1000 + ARRIVAL_JITTER_MS - 0.01);
  });

  it('counts each admitted call once, by section', async () => {
    const key = freshKey();
    const callsKey = `${key}:calls`;
    const gate = limiter(key, 1000, captureLogs(), { callsKey });
    await Promise.all([gate.acquire(signal(), { section: 'registration' }), gate.acquire(signal(), { section: 'registration' }), gate.acquire(signal())]);
    expect(await redis.hgetall(callsKey)).toEqual({ registration: '2', unknown: '1' });
  });
});

describe('the pause after a rate-limit answer', () => {
  it('refusals of one burst are one pause event; a refusal after it doubles; a success resets', { timeout: 30_000 }, async () => {
    const key = freshKey();
    const logs = captureLogs();
    const gate = limiter(key, 1000, logs, { baseMs: 300 });
    const other = limiter(key, 1000, logs, { baseMs: 300 });

    // Six requests in flight at once, on two processes, all refused.
    const inFlight = await Promise.all(Array.from({ length: 6 }, (_, i) => (i < 3 ? gate : other).acquire(signal())));
    await Promise.all(inFlight.map((a, i) => (i < 3 ? gate : other).settle(admitted(a), { kind: 'rate_limited', retryAfterMs: undefined })));
    expect(logs.matching(PAUSING).map((l) => l.pauseMs)).toEqual([300]);
    expect(await redis.hget(key, 'pauses')).toBe('1');
    expect(await gate.pause.pausedForMs()).toBeGreaterThan(0);

    // The next request waits the pause out; refused again, it is a repeat: the pause doubles.
    const next = admitted(await gate.acquire(signal()));
    expect(await gate.pause.pausedForMs()).toBe(0);
    await gate.settle(next, { kind: 'rate_limited', retryAfterMs: undefined });
    expect(logs.matching(PAUSING).map((l) => l.pauseMs)).toEqual([300, 600]);

    // A request sent after that pause succeeds: the next pause starts from the base again.
    const ok = admitted(await other.acquire(signal()));
    expect(ok.pauseRepeats).toBe(2);
    await other.settle(ok, { kind: 'answered' });
    const refused = admitted(await gate.acquire(signal()));
    await gate.settle(refused, { kind: 'rate_limited', retryAfterMs: undefined });
    expect(logs.matching(PAUSING).map((l) => l.pauseMs)).toEqual([300, 600, 300]);
  });

  it('an advised wait is used as is and is not a repeat', async () => {
    const key = freshKey();
    const logs = captureLogs();
    const gate = limiter(key, 1000, logs, { baseMs: 300 });
    await gate.settle(admitted(await gate.acquire(signal())), { kind: 'rate_limited', retryAfterMs: 150 });
    await gate.settle(admitted(await gate.acquire(signal())), { kind: 'rate_limited', retryAfterMs: undefined });
    expect(logs.matching(PAUSING).map((l) => l.pauseMs)).toEqual([150, 300]);
  });

  it('a pause longer than the caller waits is answered at once, without a token', async () => {
    const key = freshKey();
    const callsKey = `${key}:calls`;
    const gate = limiter(key, 1000, captureLogs(), { maxWaitMs: 1_000, callsKey });
    await gate.settle(admitted(await gate.acquire(signal(), { section: 'registration' })), { kind: 'rate_limited', retryAfterMs: 60_000 });

    const answers = await Promise.all([gate.acquire(signal(), { section: 'registration' }), gate.acquire(signal(), { section: 'registration' })]);
    for (const answer of answers) {
      expect(answer.admitted).toBe(false);
      if (!answer.admitted) expect(answer.retryAfterMs).toBeGreaterThan(50_000);
    }
    expect(await redis.hget(callsKey, 'registration')).toBe('1');
  });

  it('a waiting caller that is aborted leaves the queue; the others are still served', { timeout: 15_000 }, async () => {
    const key = freshKey();
    const gate = limiter(key, 2);
    admitted(await gate.acquire(signal()));
    const controller = new AbortController();
    const aborted = gate.acquire(controller.signal);
    const served = gate.acquire(signal());
    controller.abort(new Error('shutdown'));
    await expect(aborted).rejects.toThrow('shutdown');
    expect((await served).admitted).toBe(true);
  });
});
