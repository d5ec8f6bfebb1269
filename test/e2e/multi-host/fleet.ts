/**
 * The multi-host test's fleet: one `credit-monitor worker` per host of a {@link HostPlacement},
 * started, killed and replaced by host name, with what the test reads from each over HTTP
 * (`/readyz`, the checks counter on `/metrics`) and from the whole (sweep progress).
 */
import { request } from 'undici';
import { customerRows } from '../../helpers/fault-oracle.js';
import { FAST_WORKER_ARGS, type FaultRig, type WorkerProcess } from '../../helpers/fault-rig.js';
import type { HostPlacement } from '../../helpers/host-placement.js';
import { pollUntil } from '../../helpers/poll-until.js';

export interface Fleet {
  /** Starts (or replaces) the worker on `host`. */
  start(host: string): WorkerProcess;
  worker(host: string): WorkerProcess;
  /** Every process started so far, replacements included, per host (oldest first). */
  readonly history: ReadonlyMap<string, readonly WorkerProcess[]>;
  /** `/readyz` of `host`'s worker: the HTTP status, or undefined when it does not answer within `timeoutMs`. */
  readyz(host: string, timeoutMs?: number): Promise<number | undefined>;
  /** Successful checks (changed + unchanged) of `host`'s current process, from its `/metrics`. */
  checks(host: string): Promise<number>;
  /** Waits until every host's worker answers `/readyz` with 200. */
  allReady(timeoutMs: number): Promise<void>;
}

/** Scan jobs at once per worker: also the most checks a killed worker can leave half done. */
export const CONCURRENCY = 2;

export function createFleet(rig: FaultRig, placement: HostPlacement): Fleet {
  const current = new Map<string, WorkerProcess>();
  const history = new Map<string, WorkerProcess[]>();
  const worker = (host: string): WorkerProcess => {
    const running = current.get(host);
    if (running === undefined) throw new Error(`no worker started on ${host}`);
    return running;
  };
  const get = async (host: string, path: string, timeoutMs: number): Promise<{ status: number; text: string } | undefined> => {
    try {
      const response = await request(`${placement.healthUrl(host)}${path}`, {
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: response.statusCode, text: await response.body.text() };
    } catch {
      return undefined;
    }
  };
  const fleet: Fleet = {
    start: (host) => {
      const started = rig.spawnWorker({
        commandPrefix: placement.commandPrefix(host),
        env: placement.workerEnv(host, rig.cmDb),
        args: [...FAST_WORKER_ARGS, '--concurrency', String(CONCURRENCY)],
      });
      current.set(host, started);
      history.set(host, [...(history.get(host) ?? []), started]);
      return started;
    },
    worker,
    history,
    readyz: async (host, timeoutMs = 2_000) => (await get(host, '/readyz', timeoutMs))?.status,
    checks: async (host) => {
      const metrics = await get(host, '/metrics', 5_000);
      if (metrics?.status !== 200) throw new Error(`/metrics of ${host}: ${metrics === undefined ? 'no answer' : `HTTP ${metrics.status}`}`);
      let total = 0;
      for (const match of metrics.text.matchAll(/^credit_monitor_checks_total\{result="(?:changed|unchanged)"\} (\d+)$/gm)) total += Number(match[1]);
      return total;
    },
    allReady: async (timeoutMs) => {
      for (const host of placement.workers) {
        await pollUntil(async () => {
          if (!worker(host).running()) throw new Error(`worker on ${host} exited: ${worker(host).stderr()}`);
          return (await fleet.readyz(host)) === 200;
        }, { timeoutMs, intervalMs: 200, what: `/readyz of ${host} is 200` });
      }
    },
  };
  return fleet;
}

/** Customers checked at all, and last at or after `since` (epoch ms). */
export async function checkedSince(rig: FaultRig, since: number): Promise<number> {
  return (await customerRows(rig)).filter((c) => c.last_checked_at !== null && c.last_checked_at >= since).length;
}

/** `status --json`'s lastSweepAt in epoch ms (0 before the first sweep). */
export async function lastSweepAt(rig: FaultRig): Promise<number> {
  const status = await rig.cli(['status', '--json']);
  if (status.code !== 0) throw new Error(`status --json exited ${String(status.code)}: ${status.stderr}`);
  const at = (JSON.parse(status.stdout) as { lastSweepAt: string | null }).lastSweepAt;
  return at === null ? 0 : Date.parse(at);
}

/** Waits for two more sweep ticks and no provider request in flight, so that double work would show. */
export async function twoMoreTicks(rig: FaultRig): Promise<void> {
  const before = await lastSweepAt(rig);
  await pollUntil(async () => (await lastSweepAt(rig)) > before + 1_500, { timeoutMs: 20_000, intervalMs: 250, what: 'two more sweep ticks' });
  await pollUntil(() => rig.mock.stats().inFlight === 0, { what: 'no provider request in flight' });
}
