/**
 * With CM_PROVIDER unset the demo mock provider answers; on a store a real provider built, the CLI
 * and the worker refuse to start instead of raising "not found" for every customer.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliSandbox, type CliSandbox } from '../helpers/run-cli.js';
import { validUscc } from '../helpers/valid-uscc.js';

const USCC = validUscc(301);
let sandbox: CliSandbox;

beforeEach(async () => {
  sandbox = cliSandbox();
  expect((await sandbox.run(['customers', 'add', '--uscc', USCC, '--name', '客户'])).code).toBe(0);
});

afterEach(() => {
  sandbox.cleanup();
});

/** A snapshot as the given provider would have stored it. */
function storeSnapshotBy(provider: string): void {
  const db = new Database(sandbox.dbPath);
  db.prepare(
    `INSERT INTO snapshots (customer_id, taken_at, hash, provider, provider_version, normaliser_version, body)
     VALUES (1, 0, 'h', ?, '1', 2, '{"registration":null,"abnormalOperations":[],"seriousViolations":[]}')`,
  ).run(provider);
  db.close();
}

describe('no silent fallback to the demo provider', () => {
  it.each([['check', '--uscc', USCC], ['worker']])('%s refuses with exit 2 and one line naming CM_PROVIDER', async (...args) => {
    storeSnapshotBy('tianyancha');
    const result = await sandbox.run(args);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/CM_PROVIDER is not set.*built by tianyancha: set CM_PROVIDER=tianyancha/);
    const db = new Database(sandbox.dbPath, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 0 });
    db.close();
  });

  it('an explicit CM_PROVIDER=mock is a deliberate switch and runs', async () => {
    storeSnapshotBy('tianyancha');
    // The mock at an address where nothing listens: the check runs (and fails its sections).
    const result = await sandbox.run(['check', '--uscc', USCC], { CM_PROVIDER: 'mock', CM_PROVIDER_URL: 'http://127.0.0.1:1' });
    expect(result.stderr).not.toMatch(/CM_PROVIDER is not set/);
    expect(result.code).toBe(0);
  });

  it('a store the demo built keeps running on the demo', async () => {
    storeSnapshotBy('mock');
    const result = await sandbox.run(['check', '--uscc', USCC]);
    expect(result.stderr).not.toMatch(/CM_PROVIDER/);
    expect(result.code).toBe(0);
  });
});
