import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCustomer, type CheckDeps, type CheckOutcome } from '../../src/app/check-customer.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/logger.js';
import { openProvider, type ProviderHandle } from '../../src/main.js';
import { createCheckDeps } from '../../src/wiring/check-deps.js';
import { openSqliteStore, type SqliteStore } from '../../src/wiring/open-store.js';
import type { CreditProvider } from '../../src/providers/provider.js';

export interface CheckHarness {
  store: SqliteStore;
  provider: ProviderHandle;
  dir: string;
  /** Runs one check of `uscc` and asserts it was not rate-limited or unknown. */
  check(uscc: string): Promise<Extract<CheckOutcome, { kind: 'checked' }>>;
  /**
   * The same check as if another provider adapter (`id`, `version`) answered what the mock answers:
   * a change of method without a second provider.
   */
  checkAs(method: { id: string; version?: string }, uscc: string): Promise<Extract<CheckOutcome, { kind: 'checked' }>>;
  /** The same check through a provider that wraps the real one (to delay or reorder its answers). */
  checkWith(wrap: (real: CreditProvider) => CreditProvider, uscc: string): Promise<Extract<CheckOutcome, { kind: 'checked' }>>;
  /** Every event row, oldest first (insertion order). */
  eventRows(): Array<{ id: string; type: string; tier: string; baseline: number; payload: string }>;
  deliveryRows(): Array<{ event_id: string; channel: string; target: string; status: string }>;
  snapshotCount(): number;
  customerRow(uscc: string): { consecutive_failures: number; degraded: number; last_error: string | null };
  close(): Promise<void>;
}

export interface CheckHarnessOptions {
  /** Epoch ms now for every check. Default `Date.now`. */
  clock?: () => number;
  /** More keys of the policy file's `provider` block, e.g. `{ sections: { annualReports: true } }`. */
  provider?: Record<string, unknown>;
}

/**
 * The real wiring of a check (loadConfig → openSqliteStore → openProvider → createCheckDeps) over a SQLite
 * file in a fresh temp dir and a mock provider at `providerUrl`. `env` adds CM_* variables.
 */
export async function openCheckHarness(
  providerUrl: string,
  env: Record<string, string> = {},
  options: CheckHarnessOptions = {},
): Promise<CheckHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'cm-check-'));
  // A short provider timeout so that a "timeout" fault fails its section quickly.
  const policy = join(dir, 'policy.json');
  writeFileSync(policy, JSON.stringify({ provider: { timeoutMs: 400, maxBodyBytes: 2_097_152, ...options.provider } }));
  const config = loadConfig(
    { CM_DB: join(dir, 'cm.db'), CM_CONFIG: policy, CM_PROVIDER: 'mock', CM_PROVIDER_URL: providerUrl, ...env },
    process.cwd(),
  );
  const store = openSqliteStore(join(dir, 'cm.db'));
  const provider = await openProvider(config, createLogger('silent'));
  const deps = createCheckDeps(config, store, provider.provider, options.clock ?? Date.now);
  const sqlite = store.handle.sqlite;
  const run = async (checkDeps: CheckDeps, uscc: string): Promise<Extract<CheckOutcome, { kind: 'checked' }>> => {
    const outcome = await checkCustomer(checkDeps, uscc, AbortSignal.timeout(10_000));
    if (outcome.kind !== 'checked') throw new Error(`check of ${uscc}: ${outcome.kind}`);
    return outcome;
  };
  return {
    store,
    provider,
    dir,
    check: (uscc) => run(deps, uscc),
    checkAs: (method, uscc) => {
      const real = provider.provider;
      const renamed: CreditProvider = {
        id: method.id,
        version: method.version ?? real.version,
        fetchSections: (code, signal, request) => real.fetchSections(code, signal, request),
        close: () => Promise.resolve(),
      };
      return run({ ...deps, provider: renamed }, uscc);
    },
    checkWith: (wrap, uscc) => run({ ...deps, provider: wrap(provider.provider) }, uscc),
    eventRows: () =>
      sqlite.prepare('SELECT id, type, tier, baseline, payload FROM events ORDER BY rowid').all() as ReturnType<
        CheckHarness['eventRows']
      >,
    deliveryRows: () =>
      sqlite.prepare('SELECT event_id, channel, target, status FROM deliveries ORDER BY rowid').all() as ReturnType<
        CheckHarness['deliveryRows']
      >,
    snapshotCount: () => (sqlite.prepare('SELECT count(*) AS n FROM snapshots').get() as { n: number }).n,
    customerRow: (uscc) =>
      sqlite
        .prepare('SELECT consecutive_failures, degraded, last_error FROM customers WHERE uscc = ?')
        .get(uscc) as ReturnType<CheckHarness['customerRow']>,
    close: async () => {
      await provider.close();
      void store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
