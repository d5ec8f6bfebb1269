import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { AppError } from '../errors.js';
import { ensurePrivateDir, ensurePrivateFile, writePrivateFile } from '../store/private-files.js';
import { pingRedis, redisProcessId } from './ping-redis.js';
import { readOrCreateRedisPassword, readRedisPassword, redisPasswordFile } from './redis-password.js';

/**
 * Port of the local Redis, probed first and used for the embedded server when none answers.
 * Fixed (6379, Redis's own) rather than free, on purpose:
 * - every process on the machine finds the same server by the same probe: the CLI's `rescan` and
 *   `status`, `redis-cli` with no arguments, and any BullMQ client using the public queue contract;
 *   a random port would need a hand-off file that can go stale;
 * - the bind is a lock on the data directory: two processes racing to start one cannot both own
 *   the same AOF, since redis-server checks the port before it loads any data;
 * - a server orphaned by a crash (SIGKILL of its parent) is found and reused on the next start.
 */
export const DEFAULT_LOCAL_REDIS_PORT = 6379;

const INSTALL_HINT =
  'redis-server not found on PATH: install it (apt-get install redis-server, or brew install redis) or set REDIS_URL to a running Redis';

export interface ResolveRedisOptions {
  /** REDIS_URL. When set it is used as is: no probe, nothing started. */
  redisUrl?: string | undefined;
  /**
   * The embedded server's directory (see {@link redisDataDir}): its AOF files, `redis.log`, and the
   * install's Redis `password`, owner-only. Required even when only probing, since the password in it
   * is how every process of the install gets into the embedded server.
   */
  dataDir: string;
  logger: Logger;
  /** Port on 127.0.0.1 to probe and, if nothing answers, to start on. Default {@link DEFAULT_LOCAL_REDIS_PORT}. */
  port?: number;
  /**
   * Start a private redis-server when nothing answers. Default true. A short-lived CLI command should
   * pass false: a server it started would die with it, under a worker that may have adopted it.
   */
  allowStart?: boolean;
  /** PATH-style list of directories searched for `redis-server` (`Config.searchPath`, from PATH). */
  searchPath: string;
  /** How long the started server may take to answer PING, in ms (it first replays its AOF). Default 30000. */
  startTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL, in ms (Redis flushes its AOF on SIGTERM). Default 10000. */
  stopTimeoutMs?: number;
}

/** The embedded Redis's directory of an install whose local state is in `dataDir`: `redis/` in it. */
export function redisDataDir(dataDir: string): string {
  return join(resolve(dataDir), 'redis');
}

/** Where Redis is and who owns it. */
export interface ResolvedRedis {
  /** Connection URL; may carry a password (REDIS_URL's, or the embedded server's), so never log it. */
  url: string;
  /** `configured`: REDIS_URL; `local`: one already answering on 127.0.0.1; `embedded`: started by us. */
  source: 'configured' | 'local' | 'embedded';
  /** Stops the server if we started it (SIGTERM, bounded wait, then SIGKILL); otherwise nothing. Idempotent. */
  stop(): Promise<void>;
}

/** The first executable file named `name` in a PATH-style directory list, or undefined. */
export function findExecutable(name: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Not here (or not executable): keep looking.
    }
  }
  return undefined;
}

/**
 * Finds the Redis to use: REDIS_URL if set; else a Redis answering PING on 127.0.0.1:`port` (with
 * the install's password when it asks for one: the embedded server of this install, started by
 * another process); else a private `redis-server` from PATH, started with a password and with
 * persistence (AOF, fsync every second) so that a restart keeps the queues. Throws
 * `AppError('CONFIG_INVALID')` with one line when redis-server is not installed or the port is held
 * by something that is not a usable Redis.
 */
export async function resolveRedis(options: ResolveRedisOptions): Promise<ResolvedRedis> {
  const { logger, port = DEFAULT_LOCAL_REDIS_PORT } = options;
  const noop = (): Promise<void> => Promise.resolve();
  if (options.redisUrl !== undefined && options.redisUrl !== '') {
    return { url: options.redisUrl, source: 'configured', stop: noop };
  }
  const dir = resolve(options.dataDir);
  let password: string | undefined;
  let answer = await pingRedis({ port });
  if (answer?.startsWith('-NOAUTH') === true) {
    password = readRedisPassword(dir);
    if (password === undefined) {
      throw new AppError(
        'CONFIG_INVALID',
        `127.0.0.1:${port} is held by a Redis that wants a password and this install has none (${redisPasswordFile(dir)}): set REDIS_URL with its password, or free the port`,
      );
    }
    answer = await pingRedis({ port, password });
  }
  if (answer !== undefined) {
    await ensureUsable(answer, port, password, dir, options.startTimeoutMs ?? 30_000);
    logger.info({ redis: `127.0.0.1:${port}` }, 'using the Redis already running on this machine');
    if (password === undefined && options.allowStart !== false) {
      logger.warn({ redis: `127.0.0.1:${port}` }, 'this Redis needs no password: any local user can add jobs to it; give it one (requirepass) and set REDIS_URL');
    }
    return { url: redisUrl(port, password), source: 'local', stop: noop };
  }
  if (options.allowStart === false) {
    throw new AppError('REDIS_UNAVAILABLE', `no Redis answers on 127.0.0.1:${port}: start the worker or set REDIS_URL`, { retryable: true });
  }
  return startEmbedded(options, port, dir);
}

function redisUrl(port: number, password: string | undefined): string {
  // The password is letters and digits (see redis-password.ts): nothing to escape.
  return password === undefined ? `redis://127.0.0.1:${port}` : `redis://:${password}@127.0.0.1:${port}`;
}

/** A server that answered something other than +PONG: wait out LOADING, refuse the rest in one line. */
async function ensureUsable(answer: string, port: number, password: string | undefined, dir: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let reply: string | undefined = answer;
  while (reply?.startsWith('-LOADING') === true && Date.now() < deadline) {
    await delay(100);
    reply = await pingRedis({ port, password });
  }
  if (reply === '+PONG') return;
  if (password !== undefined && reply?.startsWith('-NOAUTH') === true) {
    throw new AppError(
      'CONFIG_INVALID',
      `127.0.0.1:${port} is held by a Redis whose password is not this install's (${redisPasswordFile(dir)}): set REDIS_URL with its password, or free the port`,
    );
  }
  const what = reply?.startsWith('-') === true ? `a Redis that answers ${JSON.stringify(reply.split(' ')[0])}` : 'something that is not Redis';
  throw new AppError(
    'CONFIG_INVALID',
    `127.0.0.1:${port} is held by ${what}: set REDIS_URL (with its password, if it has one) or free the port`,
  );
}

function delay(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/**
 * The password goes in an owner-only config file, never on the command line, where any local user
 * could read it (`ps`, /proc/PID/cmdline).
 */
function writeServerConfig(dir: string, password: string): string {
  const file = join(dir, 'redis.conf');
  writePrivateFile(file, `# Written by credit-monitor at every start of its embedded Redis.\nrequirepass ${password}\n`);
  return file;
}

function serverArgs(configFile: string, port: number, dir: string, logFile: string): string[] {
  return [
    configFile,
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--daemonize', 'no',
    '--dir', dir,
    '--logfile', logFile,
    '--appendonly', 'yes',
    '--appendfsync', 'everysec',
    // The AOF is the persistence; RDB snapshots on top would only add fork pauses.
    '--save', '',
    '--maxmemory-policy', 'noeviction',
  ];
}

/**
 * Why the server stopped, in one line: its last warnings (`#` lines, e.g. "bind: Address already in
 * use" followed by "Failed listening … aborting"), else its last line, without pid and time stamps.
 */
function logSummary(logFile: string): string {
  let text = '';
  try {
    text = readFileSync(logFile, 'utf8').slice(-4096);
  } catch {
    // Unreadable log: the message still names the file.
  }
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const warnings = lines.flatMap((line) => /^\d+:[A-Z] .+? # (.*)$/.exec(line)?.[1] ?? []);
  const chosen = warnings.length > 0 ? warnings.slice(-2) : lines.slice(-1);
  return chosen.length > 0 ? chosen.join(' / ') : 'no output';
}

async function startEmbedded(options: ResolveRedisOptions, port: number, dir: string): Promise<ResolvedRedis> {
  const { logger } = options;
  // PATH is the operating system's lookup list, not configuration: read here so tests can inject one.
  const binary = findExecutable('redis-server', options.searchPath);
  if (binary === undefined) throw new AppError('CONFIG_INVALID', INSTALL_HINT);

  // Owner-only: the AOF holds the queues, and the password is kept here.
  ensurePrivateDir(dir, { ours: true });
  const password = readOrCreateRedisPassword(dir);
  const url = redisUrl(port, password);
  const configFile = writeServerConfig(dir, password);
  const logFile = join(dir, 'redis.log');
  ensurePrivateFile(logFile);
  // stdout and stderr go to the log file too: errors before Redis opens its --logfile (a bad
  // argument) land there, and no pipe ties the server to this process.
  const logFd = openSync(logFile, 'a', 0o600);
  let child: ChildProcess;
  try {
    // detached: its own process group, so a Ctrl-C in the terminal (SIGINT to the whole foreground
    // group) does not stop Redis under the worker's graceful shutdown; stop() ends it last, in order.
    child = spawn(binary, serverArgs(configFile, port, dir, logFile), { stdio: ['ignore', logFd, logFd], detached: true });
  } finally {
    closeSync(logFd);
  }
  const exited = new Promise<string>((done) => {
    child.once('error', (error) => {
      done(error.message);
    });
    child.once('close', (code, signal) => {
      done(`exit ${String(code ?? signal)}`);
    });
  });

  const failure = await waitForPong(port, password, exited, options.startTimeoutMs ?? 30_000);
  // A +PONG may come from a server another process started on the port a moment before ours tried
  // to bind: only our own pid makes it ours to own and stop.
  const ours = failure === undefined && (await redisProcessId({ port, password })) === child.pid;
  if (!ours) {
    child.kill('SIGKILL');
    // Lost a start race against another process of this install: its server now holds the port; use it.
    if ((await pingRedis({ port, password })) === '+PONG') {
      logger.info({ redis: `127.0.0.1:${port}` }, 'another process started Redis first; using it');
      return { url, source: 'local', stop: () => Promise.resolve() };
    }
    throw new AppError(
      'REDIS_UNAVAILABLE',
      `redis-server on 127.0.0.1:${port} did not start (${failure ?? 'another server took the port'}): ${logSummary(logFile)} (log: ${logFile})`,
    );
  }

  logger.info({ redis: `127.0.0.1:${port}`, dataDir: dir, pid: child.pid }, 'started embedded redis-server');
  return { url, source: 'embedded', stop: ownStop(child, exited, logger, options.stopTimeoutMs ?? 10_000) };
}

/** Polls PING until +PONG (undefined), the child's exit or the deadline (the reason). */
async function waitForPong(port: number, password: string, exited: Promise<string>, timeoutMs: number): Promise<string | undefined> {
  let exitReason: string | undefined;
  void exited.then((reason) => (exitReason = reason));
  const deadline = Date.now() + timeoutMs;
  for (let pauseMs = 10; ; pauseMs = Math.min(pauseMs * 2, 250)) {
    if ((await pingRedis({ port, password, timeoutMs: 500 })) === '+PONG') return undefined;
    if (exitReason !== undefined) return exitReason;
    if (Date.now() >= deadline) return `no answer within ${timeoutMs} ms`;
    await delay(pauseMs);
  }
}

/** The stop() of a server we own, plus a last-resort SIGTERM when the process exits without it. */
function ownStop(child: ChildProcess, exited: Promise<string>, logger: Logger, stopTimeoutMs: number): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  // 'exit' handlers cannot wait: send SIGTERM and let Redis flush its AOF on its own.
  const onExit = (): void => {
    child.kill('SIGTERM');
  };
  process.once('exit', onExit);
  // The daemon's lifetime is decided by its own shutdown, not by this child.
  child.unref();
  void exited.then((reason) => {
    process.removeListener('exit', onExit);
    if (stopping === undefined) logger.error({ reason }, 'embedded redis-server exited unexpectedly');
  });

  return () => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((done) => {
        timer = setTimeout(() => {
          done('timeout');
        }, stopTimeoutMs);
      });
      const result = await Promise.race([exited, timedOut]);
      clearTimeout(timer);
      if (result === 'timeout') {
        logger.warn({ stopTimeoutMs }, 'embedded redis-server ignored SIGTERM; killing it');
        child.kill('SIGKILL');
        await exited;
      }
    })();
    return stopping;
  };
}
