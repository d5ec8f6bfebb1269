/**
 * Shared set-up of the alert-delivery tests: secrets, a policy file, checks recorded in this process
 * (the same code path as the worker and `credit-monitor check`), the built CLI, and exactly-once
 * bookkeeping at the webhook receiver.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Queue } from 'bullmq';
import { checkCustomer, type CheckOutcome } from '../../../src/app/check-customer.js';
import { createLogger } from '../../../src/logger.js';
import { openProvider, type WorkerOptions } from '../../../src/main.js';
import { createCheckDeps } from '../../../src/wiring/check-deps.js';
import { NO_CASES, ONE_GRADE, ONE_GRADE_NO_CASES_POLICY } from '../../helpers/one-grade.js';
import { pollUntil } from '../../helpers/poll-until.js';
import { CLI_PATH, REPO_ROOT } from '../../helpers/run-cli.js';
import type { ReceivedWebhook } from '../../helpers/webhook-receiver.js';
import type { Store } from '../../../src/wiring/open-store.js';
import { sqlAll, type WorkerHarness } from '../../helpers/worker-harness.js';

/** Fast loops for tests: sweep ticks, relay rounds and the delivery back-off (default 10 s) shortened. */
export const FAST: WorkerOptions = { sweepEveryMs: 250, maintenanceEveryMs: 200, deliveryRetryBaseMs: 200 };

/** A Standard Webhooks secret: `whsec_` + base64 of 32 random bytes. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export { ONE_GRADE_NO_CASES_POLICY as ONE_GRADE_POLICY };

/**
 * Writes a policy file (CM_CONFIG) into the harness directory. It grades every customer fair
 * (ONE_GRADE, see helpers/one-grade.ts) and opens no cases (NO_CASES) unless it says otherwise, so
 * each listing is one event.
 */
export function writePolicy(h: Pick<WorkerHarness<Store>, 'dir'>, policy: unknown): string {
  const path = join(h.dir, `policy-${randomBytes(3).toString('hex')}.json`);
  writeFileSync(path, JSON.stringify({ ...ONE_GRADE, ...NO_CASES, ...(policy as object) }));
  return path;
}

export interface Checker {
  /** One check of `uscc` in this process: snapshot, events and outbox rows in one transaction; nothing is sent. */
  check(uscc: string): Promise<Extract<CheckOutcome, { kind: 'checked' }>>;
  close(): Promise<void>;
}

/** Records checks with no worker involved: what a worker does right before it would enqueue. */
export async function openChecker(h: WorkerHarness, env: Record<string, string>): Promise<Checker> {
  const config = h.config(env);
  const provider = await openProvider(config, createLogger('silent'));
  const deps = createCheckDeps(config, h.store, provider.provider, Date.now);
  return {
    check: async (uscc) => {
      const outcome = await checkCustomer(deps, uscc, AbortSignal.timeout(10_000));
      if (outcome.kind !== 'checked') throw new Error(`check of ${uscc}: ${outcome.kind}`);
      return outcome;
    },
    close: () => provider.close(),
  };
}

export interface OutboxRow {
  id: string;
  event_id: string;
  channel: string;
  target: string;
  status: string;
  attempts: number;
  next_attempt_at: number | null;
  updated_at: number;
  last_error: string | null;
}

export function outbox(h: WorkerHarness): OutboxRow[] {
  return sqlAll<OutboxRow>(
    h.store,
    'select id, event_id, channel, target, status, attempts, next_attempt_at, updated_at, last_error from deliveries order by rowid',
  );
}

/** Requests per webhook-id. */
export function byWebhookId(received: readonly ReceivedWebhook[]): Map<string, ReceivedWebhook[]> {
  const map = new Map<string, ReceivedWebhook[]>();
  for (const r of received) {
    const id = r.headers['webhook-id'] ?? '';
    map.set(id, [...(map.get(id) ?? []), r]);
  }
  return map;
}

/** Waits until the deliver queue has nothing waiting, delayed or running (twice in a row, 50 ms apart). */
export async function deliverQueueIdle(queue: Queue, timeoutMs = 10_000): Promise<void> {
  let quietSince: number | undefined;
  await pollUntil(
    async () => {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      const busy = Object.values(counts).reduce((a, b) => a + b, 0);
      if (busy > 0) {
        quietSince = undefined;
        return false;
      }
      quietSince ??= Date.now();
      return Date.now() - quietSince >= 50;
    },
    { timeoutMs, what: 'deliver queue idle' },
  );
}

/** Waits for `count` more sweep ticks (each runs escalations after its sweep) to be recorded. */
export async function sweepTicks(h: WorkerHarness, count: number, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  const recorded = async (): Promise<number> => Number((await h.store.repos.meta.get('last_sweep_at')) ?? 0);
  let seen = 0;
  let last = await recorded();
  await pollUntil(
    async () => {
      const now = await recorded();
      if (now > last && now >= start) {
        seen += 1;
        last = now;
      }
      return seen >= count;
    },
    { timeoutMs, what: `${count} sweep tick(s)` },
  );
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The built CLI (`node dist/cli.js`) against the harness's SQLite file, Redis and prefix. */
export function runCli(h: Pick<WorkerHarness<Store>, 'dir' | 'env'>, args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run "npm run build" first`);
  // Always an explicit policy file: the built CLI must not depend on config/default.json of the checkout.
  const policy = env.CM_CONFIG ?? writePolicy(h, {});
  const fullEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? h.dir, TZ: 'UTC', ...h.env(env), CM_CONFIG: policy, LOG_LEVEL: 'warn' };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI_PATH, ...args],
      { cwd: REPO_ROOT, env: fullEnv, encoding: 'utf8', timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
