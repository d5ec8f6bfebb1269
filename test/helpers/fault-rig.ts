/**
 * The end-to-end fault rig: everything a daemon talks to, real and on 127.0.0.1 — a private
 * redis-server, the mock provider over HTTP, a Standard Webhooks receiver and an SMTP sink — plus
 * the built CLI (`node dist/cli.js`) run as child processes against one store: a SQLite file, or
 * with `dialect: 'postgres'` a fresh database on a private PostgreSQL 15 server. Tests kill,
 * restart and signal those processes; `cleanup()` ends whatever is left. The multi-host test hands
 * in its own Redis and PostgreSQL (in network namespaces), the address the rig's servers listen on,
 * and a command prefix per worker.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { startMockProviderServer, type MockProviderServer } from '../../src/providers/mock/server.js';
import type { MockState } from '../../src/providers/mock/state.js';
import { startCuttableProxy } from './cuttable-proxy.js';
import { mockProviderControl, type MockProviderControl } from './mock-provider-control.js';
import { ONE_GRADE } from './one-grade.js';
import { startPostgresServer, type PostgresServer } from './postgres-server.js';
import { startRedisServer, type RedisServer } from './redis-server.js';
import { CLI_PATH, REPO_ROOT, type CliResult } from './run-cli.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';
import type { StoreDialect } from './test-stores.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last 16 KB of stderr (logs at LOG_LEVEL, JSON lines). */
  stderr(): string;
  running(): boolean;
}

export interface FaultRig {
  readonly dir: string;
  readonly dialect: StoreDialect;
  /** CM_DB of every process: the SQLite file's path, or the PostgreSQL database's URL. */
  readonly cmDb: string;
  /** The same as `cmDb` (the SQLite file on SQLite). */
  readonly dbPath: string;
  readonly prefix: string;
  readonly redis: RedisServer;
  readonly mock: MockProviderServer;
  readonly control: MockProviderControl;
  readonly receiver: WebhookReceiver;
  readonly smtp: SmtpSink;
  /** The daemon's environment (process.env is not passed on). */
  env(extra?: Record<string, string>): Record<string, string>;
  /** Runs a one-shot CLI command to its end. */
  cli(args: readonly string[], extraEnv?: Record<string, string>): Promise<CliResult>;
  /**
   * Starts `credit-monitor worker` with short test timings unless `args` says otherwise; with
   * `commandPrefix` (e.g. a network namespace's `execPrefix`) in front of `node`.
   */
  spawnWorker(opts?: { args?: readonly string[]; env?: Record<string, string>; commandPrefix?: readonly string[] }): WorkerProcess;
  /** A read connection to the daemon's SQLite file (opened after `migrate`). SQLite only: use `sql` on both. */
  db(): Database.Database;
  /** Raw SQL on the daemon's store from this process, `?` placeholders on both dialects. */
  sql<T = Record<string, unknown>>(text: string, ...params: unknown[]): Promise<T[]>;
  cleanup(): Promise<void>;
}

export interface FaultRigOptions {
  state: MockState;
  /** Extra variables for every process (CM_SCAN_INTERVAL etc.). */
  env?: Record<string, string>;
  /** A policy file (CM_CONFIG), written to the temp directory. Default config/default.json's content. */
  policy?: object;
  /**
   * `one-grade` (the default): every customer graded fair (helpers/one-grade.ts), so that the
   * oracles' listing transitions stay one event each; `shipped`: the policy's own (or the shipped) rules.
   */
  grading?: 'one-grade' | 'shipped';
  /** The store. Default `sqlite`. */
  dialect?: StoreDialect;
  /** With `postgres`: the server to create the database on. Default a private one, stopped by cleanup. */
  postgres?: PostgresServer;
  /** A running redis-server to use (the caller stops it). Default a private one on 127.0.0.1. */
  redis?: RedisServer;
  /** Where the workers reach the mock provider, the webhook receiver and the SMTP sink. Default `127.0.0.1`. */
  listenHost?: string;
}

/** The shipped policy (config/default.json), to start a test's own policy from. */
export const SHIPPED_POLICY = JSON.parse(readFileSync(join(REPO_ROOT, 'config', 'default.json'), 'utf8')) as Record<string, unknown>;

/** Short timings for the built CLI's hidden flags; production keeps the defaults. */
export const FAST_WORKER_ARGS = ['--sweep-every', '1s', '--maintenance-every', '1s', '--delivery-retry-base', '0.5s', '--stalled-check', '2s'];

export async function startFaultRig(options: FaultRigOptions): Promise<FaultRig> {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run "npm run build" first (npm test does)`);
  const dir = mkdtempSync(join(tmpdir(), 'cm-faults-'));
  const dialect = options.dialect ?? 'sqlite';
  const ownPostgres = dialect === 'postgres' && options.postgres === undefined ? await startPostgresServer() : undefined;
  const postgres = dialect === 'postgres' ? (options.postgres ?? ownPostgres) : undefined;
  const cmDb = postgres === undefined ? join(dir, 'cm.db') : await postgres.createDatabase(`faults_${process.pid}_${++databases}`);
  const prefix = `cmfault-${randomBytes(4).toString('hex')}`;
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const redis = options.redis ?? (await startRedisServer());
  const host = options.listenHost ?? '127.0.0.1';
  // The mock's control API answers loopback peers only: it stays on 127.0.0.1, and the workers on
  // other hosts reach its provider API through a forwarder on `host`.
  const mock = await startMockProviderServer({ state: options.state });
  const forwarder = host === '127.0.0.1' ? undefined : await startCuttableProxy({ host: '127.0.0.1', port: mock.port }, { listenHost: host });
  const providerUrl = forwarder === undefined ? mock.url : `http://${host}:${forwarder.port}`;
  const receiver = await startWebhookReceiver(secret, { host });
  const smtp = await startSmtpSink({ host });
  const policyPath = join(dir, 'policy.json');
  // A given policy replaces config/default.json, as CM_CONFIG does.
  const policy = options.policy ?? SHIPPED_POLICY;
  writeFileSync(policyPath, JSON.stringify(options.grading === 'shipped' ? policy : { ...policy, ...ONE_GRADE }));

  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    PATH: process.env.PATH ?? '',
    HOME: dir,
    TZ: 'UTC',
    REDIS_URL: redis.url,
    CM_DB: cmDb,
    CM_QUEUE_PREFIX: prefix,
    CM_PROVIDER: 'mock',
    CM_PROVIDER_URL: providerUrl,
    CM_PROVIDER_RATE: '100',
    CM_SCAN_INTERVAL: '24h',
    CM_WEBHOOK_URL: receiver.url,
    CM_WEBHOOK_SECRET: secret,
    CM_SMTP_URL: smtp.url,
    CM_MAIL_FROM: 'credit-monitor@example.test',
    CM_MAIL_TO: 'risk@example.test',
    CM_HTTP_PORT: '0',
    CM_SHUTDOWN_GRACE: '5s',
    CM_RATE_LIMIT_PAUSE: '1s',
    LOG_LEVEL: 'warn',
    CM_CONFIG: policyPath,
    ...options.env,
    ...extra,
  });

  const workers: WorkerProcess[] = [];
  let db: Database.Database | undefined;
  let pool: pg.Pool | undefined;

  const rig: FaultRig = {
    dir,
    dialect,
    cmDb,
    dbPath: cmDb,
    prefix,
    redis,
    mock,
    control: mockProviderControl(mock),
    receiver,
    smtp,
    env,
    cli: (args, extraEnv = {}) => runCli(args, env(extraEnv)),
    spawnWorker: ({ args = FAST_WORKER_ARGS, env: extraEnv = {}, commandPrefix = [] } = {}) => {
      const worker = spawnWorker(commandPrefix, args, env(extraEnv));
      workers.push(worker);
      return worker;
    },
    db: () => {
      if (dialect !== 'sqlite') throw new Error('rig.db() is SQLite only; use rig.sql() on PostgreSQL');
      return (db ??= new Database(cmDb, { fileMustExist: true }));
    },
    sql: async <T>(text: string, ...params: unknown[]): Promise<T[]> => {
      if (dialect === 'sqlite') {
        const statement = rig.db().prepare(text);
        return (statement.reader ? statement.all(...params) : (statement.run(...params), [])) as T[];
      }
      let n = 0;
      pool ??= new pg.Pool({ connectionString: cmDb, max: 2 });
      return (await pool.query(text.replace(/\?/g, () => `$${++n}`), params)).rows as T[];
    },
    cleanup: async () => {
      for (const w of workers) if (w.running()) w.child.kill('SIGKILL');
      await Promise.all(workers.map((w) => w.exited));
      db?.close();
      await pool?.end();
      await forwarder?.close();
      await Promise.allSettled([mock.close(), receiver.close(), smtp.close(), ...(options.redis === undefined ? [redis.stop()] : [])]);
      await ownPostgres?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const migrated = await rig.cli(['migrate']);
  if (migrated.code !== 0) throw new Error(`migrate failed: ${migrated.stderr}`);
  return rig;
}

let databases = 0;

function spawnWorker(commandPrefix: readonly string[], args: readonly string[], env: Record<string, string>): WorkerProcess {
  const [command, ...argv] = [...commandPrefix, process.execPath, CLI_PATH, 'worker', ...args] as [string, ...string[]];
  const child = spawn(command, argv, { cwd: REPO_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-16_384);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
    });
  });
  return {
    child,
    pid: child.pid ?? -1,
    exited,
    stderr: () => stderr,
    running: () => child.exitCode === null && child.signalCode === null,
  };
}

function runCli(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}
