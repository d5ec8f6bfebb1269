/**
 * An `auth` or `quota` answer stops the scan queue with one operational alert: no customer's failure
 * count moves, no job attempt is used, `status`-visible state is recorded in SQLite, and
 * `credit-monitor provider resume` (or a worker restart) starts the queue again.
 */
import { Queue } from 'bullmq';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readProviderStop } from '../../../src/app/provider-stop.js';
import type { CliContext } from '../../../src/cli/context.js';
import { registerProviderCommand } from '../../../src/cli/provider-command.js';
import { QUEUE } from '../../../src/jobs/queue-names.js';
import { createParts, startWorker, type RunningWorker } from '../../../src/main.js';
import { captureLogs } from '../../helpers/log-capture.js';
import { testCompany, testState } from '../../helpers/mock-provider-fixtures.js';
import { pollUntil } from '../../helpers/poll-until.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { createWorkerHarness, customerRows, eventRows, sqlAll, type WorkerHarness } from '../../helpers/worker-harness.js';

const COMPANIES = [testCompany(500), testCompany(501), testCompany(502)];
const STOP_MESSAGE = 'scan queue stopped';

describe('provider stop on auth or quota answers', () => {
  let redis: RedisServer;
  let h: WorkerHarness;
  let queue: Queue;
  const workers: RunningWorker[] = [];

  const start = async (logs = captureLogs()): Promise<RunningWorker> => {
    const worker = await startWorker(h.config(), logs.logger, { concurrency: 3, sweepEveryMs: 200, maintenanceEveryMs: 200, httpPort: 'ephemeral' });
    workers.push(worker);
    return worker;
  };
  /** `credit-monitor provider resume`, run in this process against the harness' config and store. */
  const runProviderResume = async (): Promise<string[]> => {
    const out: string[] = [];
    const parts = createParts({ config: h.config(), logger: captureLogs('silent').logger, onReleaseProblem: () => undefined });
    const ctx: CliContext = {
      config: parts.config,
      logger: parts.logger,
      store: () => Promise.resolve(h.store),
      clock: parts.clock,
      parts,
      out: (text) => out.push(text),
      err: (text) => out.push(text),
      actor: 'cli:test',
      onClose: (close) => { parts.onRelease('cleanup', close); },
      close: () => parts.release(),
    };
    const program = new Command('credit-monitor').exitOverride();
    registerProviderCommand(program, ctx);
    await program.parseAsync(['provider', 'resume'], { from: 'user' });
    await ctx.close();
    return out;
  };
  const waitingScanJobs = async (): Promise<number> => {
    const counts = await queue.getJobCounts('waiting', 'prioritized', 'active');
    return counts.active === 0 ? (counts.waiting ?? 0) + (counts.prioritized ?? 0) : -1;
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    h = await createWorkerHarness({ redisUrl: redis.url, state: testState(...COMPANIES) });
    await h.store.repos.customers.upsertMany(COMPANIES.map((c) => ({ uscc: c.uscc, name: c.name })));
    queue = new Queue(QUEUE.scan, { connection: { url: redis.url }, prefix: h.prefix });
  });
  afterAll(async () => {
    await Promise.allSettled(workers.map((w) => w.close(true)));
    await queue.close();
    await h.cleanup();
    await redis.stop();
  });

  it('an auth answer stops the queue once, burns no attempt and counts no failure; provider resume restarts it', { timeout: 40_000 }, async () => {
    const logs = captureLogs();
    const worker = await start(logs);
    await pollUntil(() => customerRows(h.store).every((c) => c.last_checked_at !== null), { timeoutMs: 10_000, what: 'baseline' });
    const eventsBefore = eventRows(h.store).length;
    const checkedBefore = customerRows(h.store).map((c) => c.last_checked_at);

    await h.control.addFault({ kind: 'auth' });
    await queue.add('rescan', { all: true });

    const stop = await pollUntil(() => readProviderStop(h.store.repos.meta), { timeoutMs: 10_000, what: 'provider stop recorded' });
    expect(stop).toMatchObject({ provider: 'mock', kind: 'auth', resumeAt: null });
    expect(await queue.isPaused()).toBe(true);
    // Every fanned-out check is back in the queue, none active, none failed.
    await pollUntil(async () => (await waitingScanJobs()) === COMPANIES.length, { timeoutMs: 10_000, what: 'checks back in the queue' });
    expect((await queue.getJobCounts('failed')).failed).toBe(0);
    const parked = await queue.getJobs(['waiting', 'prioritized']);
    expect(parked.map((job) => job.attemptsMade)).toEqual(COMPANIES.map(() => 0));

    // Nothing recorded for any customer.
    const customers = sqlAll<{ consecutive_failures: number; last_error: string | null; last_checked_at: number }>(
      h.store,
      'select consecutive_failures, last_error, last_checked_at from customers order by id',
    );
    expect(customers.map((c) => [c.consecutive_failures, c.last_error])).toEqual(COMPANIES.map(() => [0, null]));
    expect(customers.map((c) => c.last_checked_at)).toEqual(checkedBefore);
    expect(eventRows(h.store)).toHaveLength(eventsBefore);

    // One operational alert, an error line, although up to three checks hit the refusal at once.
    const alerts = logs.matching(STOP_MESSAGE);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.level).toBe(50);
    const metrics = await (await fetch(`${worker.healthUrl ?? ''}/metrics`)).text();
    expect(metrics).toMatch(/^credit_monitor_provider_stopped\{provider="mock"\} 1$/m);

    // The operator fixes the key and resumes.
    await h.control.clearFaults();
    const out = await runProviderResume();
    expect(out.join('\n')).toMatch(/cleared the auth stop of mock/);
    await pollUntil(
      () => customerRows(h.store).every((c, i) => c.last_checked_at !== null && c.last_checked_at > (checkedBefore[i] ?? 0)),
      { timeoutMs: 10_000, what: 'every customer checked after the resume' },
    );
    expect(await readProviderStop(h.store.repos.meta)).toBeUndefined();
    expect(await queue.isPaused()).toBe(false);
    expect(customerRows(h.store).map((c) => c.consecutive_failures)).toEqual(COMPANIES.map(() => 0));
    expect(logs.matching(STOP_MESSAGE)).toHaveLength(1);
    const audit = sqlAll<{ action: string }>(h.store, "select action from audit_log where action = 'provider.resume'");
    expect(audit).toHaveLength(1);
    await worker.close(true);
  });

  it('a quota answer stops the queue; a worker restart clears the stop and resumes', { timeout: 40_000 }, async () => {
    const first = await start();
    await h.control.addFault({ kind: 'quota' });
    await queue.add('rescan', { uscc: COMPANIES[0]?.uscc ?? '' });
    const stop = await pollUntil(() => readProviderStop(h.store.repos.meta), { timeoutMs: 10_000, what: 'provider stop recorded' });
    expect(stop.kind).toBe('quota');
    expect(await queue.isPaused()).toBe(true);
    // The refused job goes back to the paused queue right after the stop is recorded; a worker
    // closed before that leaves it active, and it would wait out its lock (30 s) instead.
    await pollUntil(async () => (await queue.getActiveCount()) === 0 && (await queue.getJobCountByTypes('wait', 'prioritized')) > 0, {
      timeoutMs: 10_000,
      what: 'the refused re-scan parked in the paused queue',
    });
    await first.close(true);

    await h.control.clearFaults();
    const checkedBefore = customerRows(h.store)[0]?.last_checked_at ?? 0;
    const logs = captureLogs();
    await start(logs);
    expect(await readProviderStop(h.store.repos.meta)).toBeUndefined();
    expect(await queue.isPaused()).toBe(false);
    expect(logs.matching('provider stop cleared')).toHaveLength(1);
    // The parked re-scan runs now.
    await pollUntil(() => (customerRows(h.store)[0]?.last_checked_at ?? 0) > checkedBefore, { timeoutMs: 10_000, what: 'parked re-scan ran' });
    expect(customerRows(h.store)[0]?.consecutive_failures).toBe(0);
  });
});
