import type { Readiness } from './health-server.js';

export interface ReadinessSources {
  /** Resolves true when Redis answers; bounded by the caller's timeout. */
  pingRedis(): Promise<boolean>;
  /** Throws when SQLite cannot answer. */
  pingSqlite(): void;
  /** Names of queue workers that are not running. */
  stoppedWorkers(): string[];
  /** Epoch ms of the maintenance loop's last successful round. */
  lastMaintenanceRound(): number | undefined;
  /** How old that round may be, in ms. */
  maxRoundAgeMs: number;
  clock: () => number;
}

/**
 * Ready means processing, not only reachable: Redis and SQLite answer, every queue worker runs, and
 * the maintenance loop (a round trip to both each round) succeeded recently.
 */
export async function workerReadiness(sources: ReadinessSources): Promise<Readiness> {
  const redisOk = await sources.pingRedis();
  let sqliteOk = true;
  try {
    sources.pingSqlite();
  } catch {
    sqliteOk = false;
  }
  const stopped = sources.stoppedWorkers();
  const lastRound = sources.lastMaintenanceRound();
  const fresh = lastRound !== undefined && sources.clock() - lastRound < sources.maxRoundAgeMs;
  const checks = {
    redis: { ok: redisOk },
    sqlite: { ok: sqliteOk },
    workers: stopped.length === 0 ? { ok: true } : { ok: false, detail: `not running: ${stopped.join(', ')}` },
    maintenance: fresh ? { ok: true } : { ok: false, detail: 'no successful round recently' },
  };
  return { ready: Object.values(checks).every((c) => c.ok), checks };
}
