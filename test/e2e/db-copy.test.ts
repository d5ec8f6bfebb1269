/**
 * `credit-monitor db copy` as a child process, with no provider and no Redis (the sandbox's
 * REDIS_URL points at port 1): its stdout and stderr lines, its exit codes, and URLs without passwords.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateDatabase, openDatabase } from '../../src/store/database.js';
import { fillFullStore } from '../helpers/full-store-fixture.js';
import { cliSandbox, type CliSandbox } from '../helpers/run-cli.js';
import { useTestStores } from '../helpers/test-stores.js';

const TABLES = ['customers', 'snapshots', 'cases', 'events', 'deliveries', 'audit_log', 'meta', 'webhook_targets', 'digests', 'rescan_requests', 'delivery_targets', 'grade_history', 'trading_figures', 'api_tokens'];

let cli: CliSandbox;
beforeEach(() => {
  cli = cliSandbox();
});
afterEach(() => {
  cli.cleanup();
});

function filledSource(): string {
  const path = join(cli.dir, 'source.db');
  const handle = openDatabase(path);
  migrateDatabase(handle);
  fillFullStore(handle.sqlite);
  handle.close();
  return path;
}

describe('credit-monitor db copy', () => {
  const postgres = useTestStores('postgres');

  it('copies to PostgreSQL with progress on stderr and one verified line per table on stdout', async () => {
    const url = await postgres.freshLocation();
    const password = new URL(url).password;
    const source = filledSource();
    const result = await cli.run(['db', 'copy', '--from', source, '--to', url, '--batch-size', '2']);
    expect(result.stderr).not.toContain('credit-monitor:');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.slice(0, TABLES.length).map((line) => line.split(/\s+/)[0])).toEqual(TABLES);
    expect(lines[0]).toMatch(/^customers\s+3 rows {2}[0-9a-f]{64} {2}ok$/);
    expect(lines.slice(0, TABLES.length).every((line) => line.endsWith('  ok'))).toBe(true);
    expect(lines[TABLES.length]).toMatch(/^copied 32 rows from .*source\.db to postgres:\/\/credit_monitor:\*\*\*@127\.0\.0\.1:\d+\/\w+ in [\d.]+ s, verified$/);
    expect(result.stderr).toMatch(/^db copy: copying customers 3\/3 rows, [\d,]+ rows\/s$/m);
    expect(result.stderr).toMatch(/^db copy: copying events 4\/4 rows, [\d,]+ rows\/s$/m);
    expect(result.stderr).toMatch(/^db copy: verifying delivery_targets 2\/2 rows, [\d,]+ rows\/s$/m);
    expect(result.stdout + result.stderr).not.toContain(password);

    // Into a store that now holds rows: refused in one line, exit 2, nothing written.
    const again = await cli.run(['db', 'copy', '--from', source, '--to', url]);
    expect(again.code).toBe(2);
    expect(again.stdout).toBe('');
    expect(again.stderr).toMatch(/^credit-monitor: destination postgres:\/\/credit_monitor:\*\*\*@[^ ]+ is not empty \(rows in api_tokens, audit_log, cases, customers, .*\): db copy only fills an empty store\n$/);
    expect(again.stderr).not.toContain(password);
  });

  it('copies back from PostgreSQL into a new SQLite file', async () => {
    const url = await postgres.freshLocation();
    expect((await cli.run(['db', 'copy', '--from', filledSource(), '--to', url])).code).toBe(0);
    const result = await cli.run(['db', 'copy', '--from', url, '--to', join(cli.dir, 'back', 'copy.db')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^copied 32 rows from postgres:\/\/credit_monitor:\*\*\*@.* to .*copy\.db in [\d.]+ s, verified$/m);
  });

  it('exits 1 naming the table when the destination does not hold what was copied', async () => {
    // A trigger in the (empty, migrated) destination alters one event as it is written.
    const destination = await postgres.open();
    await destination.sql(`CREATE FUNCTION tamper() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.id = 'evt-c' THEN NEW.tier := 'low'; END IF; RETURN NEW; END $$`);
    await destination.sql('CREATE TRIGGER tamper BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION tamper()');
    const result = await cli.run(['db', 'copy', '--from', filledSource(), '--to', destination.cmDb]);
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.filter((line) => !line.endsWith('  ok'))).toEqual([expect.stringMatching(/^events\s+4 rows {2}[0-9a-f]{64} {2}MISMATCH \(destination 4 rows, hash [0-9a-f]{64}\)$/)]);
    expect(result.stderr).toMatch(/^credit-monitor: verification failed: postgres:\/\/credit_monitor:\*\*\*@\S+ differs from \S+source\.db in events$/m);
  });

  it.each([
    { name: 'a URL with no host', to: (url: URL) => `postgres://${url.username}:${url.password}@/credit_monitor`, code: 2, line: /^credit-monitor: --to: not a PostgreSQL URL/ },
    { name: 'a wrong password', to: (url: URL) => Object.assign(new URL(url), { password: 'wrong-secret' }).toString(), code: 2, line: /^credit-monitor: cannot read postgres:\/\/credit_monitor:\*\*\*@.*password authentication failed/ },
    { name: 'a server that is not there', to: (url: URL) => Object.assign(new URL(url), { port: '1' }).toString(), code: 1, line: /^credit-monitor: cannot read postgres:\/\/credit_monitor:\*\*\*@127\.0\.0\.1:1\/.*ECONNREFUSED/ },
  ])('refuses $name in one line without the password', async ({ to, code, line }) => {
    const url = new URL(await postgres.freshLocation());
    const target = to(url);
    const result = await cli.run(['db', 'copy', '--from', filledSource(), '--to', target]);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(line);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toContain(url.password);
    expect(result.stderr).not.toContain('wrong-secret');
  });

  it('refuses a source that is not a migrated store, exit 2', async () => {
    const empty = join(cli.dir, 'empty.db');
    openDatabase(empty).close();
    const result = await cli.run(['db', 'copy', '--from', empty, '--to', join(cli.dir, 'out.db')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^credit-monitor: source .*empty\.db is not migrated to the latest schema \(0 of \d+ migrations applied\)/);
  });
});
