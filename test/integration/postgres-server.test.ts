import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { pollUntil } from '../helpers/poll-until.js';
import { startPostgresServer, type PostgresServer, type PostgresServerOptions } from '../helpers/postgres-server.js';

const run = promisify(execFile);
// The pg package is not a dependency yet: talk to the server the way an operator would.
const PSQL = '/usr/bin/psql';
const PG_ISREADY = '/usr/bin/pg_isready';

/** Runs SQL through the URL (TCP, password) and returns psql's unaligned, tuples-only output. */
async function psqlUrl(url: string, sql: string): Promise<string> {
  const { stdout } = await run(PSQL, ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql]);
  return stdout.trim();
}

/** pg_isready's exit code: 0 accepting, 1 rejecting, 2 no response. */
async function isReady(url: string): Promise<number> {
  try {
    await run(PG_ISREADY, ['-d', url, '-t', '5']);
    return 0;
  } catch (error) {
    return (error as { code: number }).code;
  }
}

describe('startPostgresServer (test helper)', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start(options?: PostgresServerOptions): Promise<PostgresServer> {
    const server = await startPostgresServer(options);
    cleanups.push(() => server.stop());
    return server;
  }

  it('starts on a free loopback port and answers SELECT 1 through its URL, as a non-superuser owning the database', async () => {
    const server = await start();
    expect(server.url).toMatch(new RegExp(`^postgres://credit_monitor:[0-9a-f]{24}@127\\.0\\.0\\.1:${server.port}/credit_monitor$`));
    expect(await isReady(server.url)).toBe(0);
    expect(await psqlUrl(server.url, 'SELECT 1')).toBe('1');
    expect(await psqlUrl(server.url, 'SELECT current_user, rolsuper, pg_catalog.pg_get_userbyid(datdba) FROM pg_roles, pg_database WHERE rolname = current_user AND datname = current_database()'))
      .toBe('credit_monitor|f|credit_monitor');
    expect(await psqlUrl(server.url, "SELECT current_setting('server_version_num')::int / 10000, current_setting('server_encoding'), current_setting('fsync')"))
      .toBe('15|UTF8|off');
    // The owner can create tables in public (PostgreSQL 15 revoked that from PUBLIC).
    await psqlUrl(server.url, 'CREATE TABLE t (id int PRIMARY KEY)');
    expect(await psqlUrl(server.adminUrl, "SELECT tableowner FROM pg_tables WHERE tablename = 't'")).toBe('credit_monitor');
  });

  it('runs two servers at once on different ports, each with its own data (and fsync only where asked)', async () => {
    const [a, b] = await Promise.all([start(), start({ durable: true })]);
    expect(a.port).not.toBe(b.port);
    expect(a.dir).not.toBe(b.dir);
    await psqlUrl(a.url, 'CREATE TABLE only_in_a (id int)');
    expect(await psqlUrl(a.url, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_a'")).toBe('1');
    expect(await psqlUrl(b.url, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_a'")).toBe('0');
    expect(await psqlUrl(b.url, "SELECT current_setting('fsync'), current_setting('full_page_writes')")).toBe('on|on');
  });

  it('creates further databases on demand (one per test) and runs SQL as superuser', async () => {
    const server = await start();
    const url = await server.createDatabase('per_test_1');
    expect(url).toBe(server.url.replace(/\/credit_monitor$/, '/per_test_1'));
    expect(await psqlUrl(url, 'SELECT current_database()')).toBe('per_test_1');
    expect(await server.psql('SELECT rolsuper FROM pg_roles WHERE rolname = current_user')).toBe('t');
    await expect(server.createDatabase('Robert\'); DROP')).rejects.toThrow(/not a plain lower-case SQL identifier/);
  });

  it('stop() is a fast shutdown: it does not wait for an open session, removes the directory, and is idempotent', async () => {
    const server = await start();
    expect(existsSync(server.dir)).toBe(true);
    const session = spawn(PSQL, ['-X', '-d', server.url, '-c', 'SELECT pg_sleep(600)'], { stdio: 'ignore' });
    const sessionEnded = new Promise<number | null>((resolve) => session.once('exit', resolve));
    await pollUntil(async () => (await server.psql("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'")) === '1', {
      what: 'the psql session running pg_sleep',
    });

    await Promise.all([server.stop(), server.stop()]);
    expect(await sessionEnded).not.toBe(0); // terminated by the shutdown, not finished
    expect(existsSync(server.dir)).toBe(false);
    expect(await isReady(server.url)).toBe(2);
    await server.stop();
  });

  it('a failed start says why in one line, with the tail of the server log', async () => {
    const failure = startPostgresServer({ settings: { shared_buffers: 'lots' } });
    await expect(failure).rejects.toThrow(/^startPostgresServer: postgres on 127\.0\.0\.1:\d+ exited \(1\) during start; server log: .*invalid value for parameter "shared_buffers": "lots"$/);
    await expect(startPostgresServer({ binDir: '/nonexistent' })).rejects.toThrow('/nonexistent/initdb not found');
    await expect(startPostgresServer({ database: 'x; DROP' })).rejects.toThrow(/not a plain lower-case SQL identifier/);
  });
});
