/**
 * The built CLI's `worker` as a child process: SIGTERM while scans are in flight ends it with exit 0
 * within CM_SHUTDOWN_GRACE, and a restart finishes the work with every event recorded once.
 * Needs `npm run build` first (`npm test` does it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCompany, testEntries, testState } from '../../helpers/mock-provider-fixtures.js';
import { pollUntil } from '../../helpers/poll-until.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { validUscc } from '../../helpers/valid-uscc.js';
import { createWorkerHarness, customerRows, eventRows, PROJECT_ROOT, type WorkerHarness } from '../../helpers/worker-harness.js';

const CLI = join(PROJECT_ROOT, 'dist', 'cli.js');
const COUNT = 12;
const listed = (n: number): boolean => n % 3 === 0;
const GRACE_MS = 5_000;

interface Child {
  process: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: () => string;
}

function spawnWorker(env: Record<string, string>): Child {
  const child = spawn(process.execPath, [CLI, 'worker', '--concurrency', '2'], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', TZ: 'UTC', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString('utf8')).slice(-8192); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => { resolve({ code, signal }); });
  });
  return { process: child, exited, stderr: () => stderr };
}

describe('credit-monitor worker (built CLI) and SIGTERM', () => {
  let redis: RedisServer;
  let h: WorkerHarness;
  const children: Child[] = [];

  beforeAll(async () => {
    // `npm test` builds first; a missing build is a failure, never a silent skip.
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build`);
    redis = await startRedisServer();
    const companies = Array.from({ length: COUNT }, (_, n) =>
      testCompany(400 + n, listed(n) ? { abnormalOperations: testEntries(1, `AO${n}`) } : {}));
    h = await createWorkerHarness({
      redisUrl: redis.url,
      state: testState(...companies),
      env: { CM_SHUTDOWN_GRACE: `${GRACE_MS / 1000}s`, LOG_LEVEL: 'warn' },
    });
    await h.store.repos.customers.upsertMany(companies.map((c) => ({ uscc: c.uscc, name: c.name })));
  });
  afterAll(async () => {
    for (const child of children) if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    await h.cleanup();
    await redis.stop();
  });

  it('exits 0 within the grace mid-scan; a restart finishes the work, each event once', { timeout: 45_000 }, async () => {
    // Slow answers, so that scans are in flight when the signal comes.
    await h.control.addFault({ kind: 'latency', latencyMs: 800 });
    const first = spawnWorker(h.env());
    children.push(first);
    await pollUntil(() => h.mock.stats().inFlight > 0, { timeoutMs: 15_000, what: 'a scan in flight' });

    const signalledAt = performance.now();
    first.process.kill('SIGTERM');
    const result = await first.exited;
    const tookMs = performance.now() - signalledAt;
    expect(result, first.stderr()).toEqual({ code: 0, signal: null });
    // Within the grace, plus a little for closing connections.
    expect(tookMs).toBeLessThan(GRACE_MS + 1_500);
    // The signal came mid-scan: work remains for the restart.
    const checkedBefore = customerRows(h.store).filter((c) => c.last_checked_at !== null).length;
    expect(checkedBefore).toBeLessThan(COUNT);

    await h.control.clearFaults();
    const second = spawnWorker(h.env());
    children.push(second);
    await pollUntil(() => customerRows(h.store).every((c) => c.last_checked_at !== null), {
      timeoutMs: 20_000,
      intervalMs: 100,
      what: 'every customer checked after the restart',
    });
    second.process.kill('SIGTERM');
    expect(await second.exited, second.stderr()).toEqual({ code: 0, signal: null });

    const events = eventRows(h.store);
    const listedEvents = events.filter((e) => e.type === 'abnormal_operations.listed').map((e) => e.uscc).sort();
    expect(listedEvents).toEqual(
      Array.from({ length: COUNT }, (_, n) => n).filter(listed).map((n) => validUscc(400 + n)).sort(),
    );
    const keys = events.map((e) => `${e.uscc}|${e.type}|${e.payload}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(customerRows(h.store).every((c) => c.consecutive_failures === 0)).toBe(true);
  });
});
