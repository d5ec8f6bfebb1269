import type { Readiness } from './health-server.js';

export interface ReadinessSources {
  /** Resolves true when Redis answers; bounded by the caller's timeout. */
  pingRedis(): Promise<boolean>;
  /** Which store the process uses: the name of its check in the answer. */
  storeDialect: 'sqlite' | 'postgres';
  /** Resolves true when the store answers; bounded by the caller's timeout. */
  pingStore(): Promise<boolean>;
  /** Names of queue workers that are not running. */
  stoppedWorkers(): string[];
  /** Epoch ms of the maintenance loop's last successful round. */
  lastMaintenanceRound(): number | undefined;
  /** How old that round may be, in ms. */
  maxRoundAgeMs: number;
  clock: () => number;
}

/**
 * Ready means processing, not only reachable: Redis and the store (SQLite or PostgreSQL) answer, every queue worker runs, and
 * the maintenance loop (a round trip to both each round) succeeded recently.
 */
export async function workerReadiness(sources: ReadinessSources): Promise<Readiness> {
  const [redisOk, storeOk] = await Promise.all([sources.pingRedis(), sources.pingStore()]);
  const stopped = sources.stoppedWorkers();
  const lastRound = sources.lastMaintenanceRound();
  const fresh = lastRound !== undefined && sources.clock() - lastRound < sources.maxRoundAgeMs;
  const checks = {
    redis: { ok: redisOk },
    [sources.storeDialect]: { ok: storeOk },
    workers: stopped.length === 0 ? { ok: true } : { ok: false, detail: `not running: ${stopped.join(', ')}` },
    maintenance: fresh ? { ok: true } : { ok: false, detail: 'no successful round recently' },
  };
  return { ready: Object.values(checks).every((c) => c.ok), checks };
}
