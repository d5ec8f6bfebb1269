/**
 * A private PostgreSQL 15 cluster per test file (Debian's `postgresql` package): initdb into a fresh
 * temporary directory, a free port, the unix socket in that directory, and one database owned by a
 * password role, so the URL looks like production's (and secrets in it can be tested for redaction).
 *
 * initdb and postgres refuse to run as root, and CI runs as root: then both run as the `postgres`
 * user through setpriv, which execs, so the postmaster is our child and gets our signals. (runuser
 * forks and turns any signal into SIGTERM, a "smart" shutdown that waits for every client, then
 * SIGKILLs it 2 s later.) As any other user they run as that user.
 *
 * Speed over durability, on purpose: `initdb --no-sync`, `fsync=off`, `full_page_writes=off`. Killing
 * the server loses nothing it acknowledged (the OS page cache survives a process crash); only a crash
 * of the whole machine could. Pass `durable: true` where a test needs real fsyncs (a benchmark).
 *
 * Stopped (fast shutdown) by `stop()`; as safety nets, an immediate shutdown when the test process
 * exits, and a parent-death signal when it dies without running exit handlers (SIGKILL, OOM).
 * (Over 300 lines, a good part of them docs; kept whole, like redis-server.ts, so a test imports one thing.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from './free-port.js';

export interface PostgresServerOptions {
  /** Directory holding initdb, postgres and psql. Default `/usr/lib/postgresql/15/bin` (Debian). */
  binDir?: string;
  /** The database created for the test, owned by `user`. Default `credit_monitor`. */
  database?: string;
  /** The role in `url`: login with a password, owns `database`, not a superuser. Default `credit_monitor`. */
  user?: string;
  /** Address to listen on and to put in the URLs. Default `127.0.0.1`; in a network namespace, its address. */
  host?: string;
  /** Argv put before the server command, e.g. `network.execPrefix('db')` to run it in a namespace. Default none. */
  commandPrefix?: readonly string[];
  /** Extra `-c name=value` settings, e.g. `{ max_connections: '200' }`; they win over ours. */
  settings?: Readonly<Record<string, string>>;
  /** Keep fsync and full-page writes on (slower). Default false: see the file comment. */
  durable?: boolean;
  /** How long initdb, the start and creating the database may take together, in ms. Default 60000. */
  startTimeoutMs?: number;
}

export interface PostgresServer {
  /** `postgres://<user>:<password>@<host>:<port>/<database>`: the role the code under test uses. */
  readonly url: string;
  /** The same database as superuser `postgres` over TCP (password auth): for setup and faults only. */
  readonly adminUrl: string;
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /** The temporary directory: `data/` (the cluster) and the unix socket. Removed by `stop()`. */
  readonly dir: string;
  /** Runs SQL as superuser over the unix socket with psql; resolves with its unaligned, tuples-only output. */
  psql(sql: string, database?: string): Promise<string>;
  /** Creates another empty database owned by `user` (say, one per test) and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Fast shutdown (open sessions are disconnected), wait for exit, remove the directory. Idempotent. */
  stop(): Promise<void>;
}

const DEFAULT_BIN_DIR = '/usr/lib/postgresql/15/bin';
const SETPRIV = '/usr/bin/setpriv';
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

const live = new Set<ChildProcess>();
const dirs = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: SIGQUIT is an immediate shutdown, which is all we need here.
  process.once('exit', () => {
    for (const child of live) child.kill('SIGQUIT');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
}

/** One line for an error message: the last few non-empty lines of a log, joined. */
function tail(text: string, lines = 6): string {
  const last = text.split('\n').map((line) => line.trim()).filter(Boolean).slice(-lines).join(' | ');
  return last === '' ? '(no output)' : last.slice(-800);
}

/** The environment without PG* variables, which would override our connection flags. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('PG')));
}

interface RunResult {
  code: number | null;
  output: string;
}

/** Runs a one-shot command; resolves with its exit code and combined output (never rejects on exit code). */
function run(argv: readonly string[], cwd: string, timeoutMs: number): Promise<RunResult> {
  const [command, ...args] = argv as [string, ...string[]];
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-16_384);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', (error) => {
      resolve({ code: null, output: `failed to spawn ${command}: ${error.message}` });
    });
    child.once('close', (code, signal) => {
      resolve({ code, output: signal === null ? output : `${output}\n(killed by ${signal}, timeout ${timeoutMs} ms?)` });
    });
  });
}

interface Identity {
  /** setpriv options that switch to the server's user (empty: stay ourselves). */
  switchUser: string[];
  chown: (path: string) => void;
}

async function serverIdentity(): Promise<Identity> {
  if (process.getuid?.() !== 0) return { switchUser: [], chown: () => undefined };
  if (!existsSync(SETPRIV)) throw new Error(`startPostgresServer: running as root, but ${SETPRIV} (util-linux) is missing to switch to the postgres user`);
  const [uid, gid] = await Promise.all([run(['id', '-u', 'postgres'], '/', 5_000), run(['id', '-g', 'postgres'], '/', 5_000)]);
  if (uid.code !== 0 || gid.code !== 0) {
    throw new Error('startPostgresServer: running as root, but there is no "postgres" user to run initdb and postgres as (Debian\'s postgresql package creates it)');
  }
  const ids = { uid: Number(uid.output.trim()), gid: Number(gid.output.trim()) };
  return {
    switchUser: ['--reuid=postgres', '--regid=postgres', '--init-groups'],
    chown: (path) => {
      chownSync(path, ids.uid, ids.gid);
    },
  };
}

/** `argv` as the server's user; with `dieWithUs`, it also gets SIGQUIT (immediate shutdown) if we die first. */
function asServerUser(identity: Identity, argv: readonly string[], dieWithUs = false): string[] {
  const options = [...identity.switchUser, ...(dieWithUs && existsSync(SETPRIV) ? ['--pdeathsig', 'QUIT'] : [])];
  return options.length > 0 ? [SETPRIV, ...options, '--', ...argv] : [...argv];
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      resolve(false);
    }, timeoutMs);
    timer.unref();
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

interface Spawned {
  child: ChildProcess;
  /** The last 8 KB of the server's log (it logs to stderr here). */
  output: () => string;
}

function spawnServer(argv: readonly string[], cwd: string): Spawned {
  const [command, ...args] = argv as [string, ...string[]];
  const child = spawn(command, args, { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-8_192);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return { child, output: () => output };
}

/** The postmaster's own status line in `postmaster.pid` (line 8: starting, ready, stopping). */
function postmasterStatus(dataDir: string): string | undefined {
  try {
    return readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[7]?.trim();
  } catch {
    return undefined;
  }
}

/** Resolves once the postmaster says it is ready; rejects early if it exits, or at the deadline. */
async function waitUntilReady(spawned: Spawned, dataDir: string, where: string, deadline: number): Promise<void> {
  const state: { ended: string | undefined } = { ended: undefined };
  // 'close', not 'exit': it comes after stderr is drained, so the log tail below is complete.
  spawned.child.once('close', (code, signal) => (state.ended = `exited (${String(code ?? signal)})`));
  spawned.child.once('error', (error) => (state.ended = `failed to spawn (${error.message})`));
  for (let delayMs = 10; ; delayMs = Math.min(delayMs * 2, 200)) {
    if (state.ended !== undefined) {
      throw new Error(`startPostgresServer: postgres on ${where} ${state.ended} during start; server log: ${tail(spawned.output())}`);
    }
    if (postmasterStatus(dataDir) === 'ready') return;
    if (Date.now() > deadline) {
      spawned.child.kill('SIGQUIT');
      throw new Error(`startPostgresServer: postgres on ${where} not ready in time; server log: ${tail(spawned.output())}`);
    }
    // Polling interval, not a wait for an outcome: the loop ends on ready, exit or deadline.
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}

/** Fast shutdown; an immediate one if that takes longer than 15 s. */
async function shutdown(child: ChildProcess): Promise<void> {
  child.kill('SIGINT');
  if (await waitForExit(child, 15_000)) return;
  child.kill('SIGQUIT');
  await waitForExit(child, 60_000);
}

function settingArgs(settings: Readonly<Record<string, string>>): string[] {
  return Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}

/** Starts a private PostgreSQL cluster; see {@link PostgresServerOptions} for the knobs. */
export async function startPostgresServer(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  installExitHook();
  const binDir = options.binDir ?? DEFAULT_BIN_DIR;
  const database = options.database ?? 'credit_monitor';
  const user = options.user ?? 'credit_monitor';
  const host = options.host ?? '127.0.0.1';
  const durable = options.durable === true;
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (const name of [database, user]) {
    if (!IDENTIFIER.test(name)) throw new Error(`startPostgresServer: "${name}" is not a plain lower-case SQL identifier`);
  }
  for (const binary of ['initdb', 'postgres', 'psql']) {
    if (!existsSync(join(binDir, binary))) {
      throw new Error(`startPostgresServer: ${join(binDir, binary)} not found (apt-get install postgresql, or pass binDir)`);
    }
  }
  const identity = await serverIdentity();
  const dir = mkdtempSync(join(tmpdir(), 'cm-pg-'));
  dirs.add(dir);
  const dataDir = join(dir, 'data');
  const removeDir = (): void => {
    rmSync(dir, { recursive: true, force: true });
    dirs.delete(dir);
  };

  let port = 0;
  let current: Spawned | undefined;
  const userPassword = randomBytes(12).toString('hex');
  const adminPassword = randomBytes(12).toString('hex');
  const psql = async (sql: string, db = database): Promise<string> => {
    const args = ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', dir, '-p', String(port), '-U', 'postgres', '-d', db, '-c', sql];
    const result = await run([join(binDir, 'psql'), ...args], dir, 30_000);
    if (result.code !== 0) throw new Error(`psql on ${host}:${port}/${db} failed (exit ${String(result.code)}): ${tail(result.output)}`);
    return result.output.trim();
  };

  try {
    identity.chown(dir);
    const passwordFile = join(dir, 'admin-password');
    writeFileSync(passwordFile, `${adminPassword}\n`, { mode: 0o600 });
    identity.chown(passwordFile);
    const initdb = await run(asServerUser(identity, [
      join(binDir, 'initdb'), '-D', dataDir, '-U', 'postgres', `--pwfile=${passwordFile}`, '-E', 'UTF8', '--locale=C.UTF-8',
      '--auth-local=trust', '--auth-host=scram-sha-256', ...(durable ? [] : ['--no-sync']),
    ]), dir, Math.max(deadline - Date.now(), 1_000));
    rmSync(passwordFile, { force: true });
    if (initdb.code !== 0) throw new Error(`startPostgresServer: initdb failed (exit ${String(initdb.code)}): ${tail(initdb.output)}`);
    // Any client address, by password: the server only listens on `host`, and a namespace's peers need in.
    const hbaFile = join(dataDir, 'pg_hba.conf');
    writeFileSync(hbaFile, 'local all all trust\nhost all all all scram-sha-256\n', { mode: 0o600 });
    identity.chown(hbaFile);

    // Another process can take the port between findFreePort() and the server's bind: retry then.
    for (let attempt = 1; current === undefined; attempt++) {
      port = await findFreePort();
      const spawned = spawnServer([
        ...(options.commandPrefix ?? []),
        ...asServerUser(identity, [
          join(binDir, 'postgres'), '-D', dataDir, '-p', String(port),
          ...settingArgs({
            listen_addresses: host, unix_socket_directories: dir, logging_collector: 'off', shared_buffers: '32MB',
            ...(durable ? {} : { fsync: 'off', full_page_writes: 'off' }),
            ...options.settings,
          }),
        ], true),
      ], dir);
      try {
        await waitUntilReady(spawned, dataDir, `${host}:${port}`, deadline);
        current = spawned;
      } catch (error) {
        const raced = /Address already in use/i.test(spawned.output());
        if (!raced || attempt >= 5) throw error;
      }
    }

    await psql(`CREATE ROLE ${user} LOGIN PASSWORD '${userPassword}'`, 'postgres');
    await psql(`CREATE DATABASE ${database} OWNER ${user}`, 'postgres');
  } catch (error) {
    if (current !== undefined) await shutdown(current.child);
    removeDir();
    throw error;
  }

  const server = current.child;
  const urlFor = (db: string, role = user, password = userPassword): string => `postgres://${role}:${password}@${host}:${port}/${db}`;
  let stopped: Promise<void> | undefined;
  return {
    url: urlFor(database),
    adminUrl: urlFor(database, 'postgres', adminPassword),
    host,
    port,
    database,
    dir,
    psql,
    createDatabase: async (name) => {
      if (!IDENTIFIER.test(name)) throw new Error(`createDatabase: "${name}" is not a plain lower-case SQL identifier`);
      await psql(`CREATE DATABASE ${name} OWNER ${user}`, 'postgres');
      return urlFor(name);
    },
    stop: () =>
      (stopped ??= (async () => {
        await shutdown(server);
        removeDir();
      })()),
  };
}
