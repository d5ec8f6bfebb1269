/**
 * A private redis-server per test file: a free port on 127.0.0.1 (or on `host`, e.g. inside a
 * network namespace through `commandPrefix`), a temporary directory, no persistence unless asked,
 * and `noeviction` like production. Killed on `stop()` and, as a safety net, when the test process
 * exits.
 */
import { findFreePort } from './free-port.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { pingRedis, redisProcessId } from '../../src/jobs/ping-redis.js';

export interface RedisServerOptions {
  /** AOF with `appendfsync everysec`, so `restart()` keeps the data (a `kill()` may lose ~1 s). Default false. */
  persistence?: boolean;
  /** Extra command-line arguments, e.g. `['--maxmemory-policy', 'allkeys-lru']` (later ones win). */
  extraArgs?: readonly string[];
  /** The binary to run. Default `redis-server` from PATH. */
  binary?: string;
  /** How long to wait for the first `+PONG`, in ms. Default 10000. */
  startTimeoutMs?: number;
  /** Address to bind and to put in the URL. Default `127.0.0.1`; in a network namespace, its address. */
  host?: string;
  /**
   * Argv put before the server command, e.g. `network.execPrefix('redis')` to run it in a namespace
   * (the prefix must exec, as `ip netns exec` does, so that signals reach redis-server). Default none.
   */
  commandPrefix?: readonly string[];
}

export interface RedisServer {
  /** `redis://<host>:<port>`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The temporary `--dir`, removed by `stop()`. */
  readonly dir: string;
  /** SIGTERM, wait for exit, remove the directory. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL, wait for exit: a crash. The directory stays, so `restart()` can recover the AOF. */
  kill(): Promise<void>;
  /** Stops (gracefully, unless already killed) and starts again on the same port and directory; not after `stop()`. */
  restart(): Promise<void>;
  /** `FLUSHALL`: Redis lost its data while clients stay connected. */
  flushAll(): Promise<void>;
}

const live = new Set<ChildProcess>();
const dirs = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: kill() only sends the signal, which is all we need.
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
}

export { findFreePort };

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
}

interface Spawned {
  child: ChildProcess;
  /** Last few KB of redis-server's own log (it logs to stdout here). */
  output: () => string;
}

function spawnServer(argv: readonly string[]): Spawned {
  const [command, ...args] = argv as [string, ...string[]];
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-4096);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return { child, output: () => output };
}

/** Resolves once the server answers `+PONG`; rejects early if it exits, or at the deadline. */
async function waitUntilReady(spawned: Spawned, host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const state: { ended: string | undefined } = { ended: undefined };
  // 'close', not 'exit': it comes after stdout is drained, so the output below is complete.
  spawned.child.once('close', (code, signal) => (state.ended = `exited (${String(code ?? signal)})`));
  spawned.child.once('error', (error) => (state.ended = `failed to spawn (${error.message})`));
  for (let delayMs = 10; ; delayMs = Math.min(delayMs * 2, 200)) {
    if (state.ended !== undefined) {
      throw new Error(`redis-server on port ${port} ${state.ended} during start:\n${spawned.output()}`);
    }
    if ((await pingRedis({ host, port, timeoutMs: 500 })) === '+PONG') {
      if ((await redisProcessId({ host, port })) === spawned.child.pid) return;
      // Someone else's server answers on the port we picked: ours cannot bind; let the caller retry.
      spawned.child.kill('SIGKILL');
      throw new Error(`redis-server on port ${port}: address already in use (another server answers there)`);
    }
    if (Date.now() > deadline) {
      spawned.child.kill('SIGKILL');
      throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms:\n${spawned.output()}`);
    }
    // Polling interval, not a wait for an outcome: the loop ends on +PONG, exit or deadline.
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}

function serverArgs(host: string, port: number, dir: string, options: RedisServerOptions): string[] {
  const persistence = options.persistence === true
    ? ['--appendonly', 'yes', '--appendfsync', 'everysec']
    : ['--appendonly', 'no'];
  return [
    '--port', String(port), '--bind', host, '--dir', dir, '--daemonize', 'no',
    '--save', '', ...persistence, '--maxmemory-policy', 'noeviction',
    // Protected mode refuses every non-loopback client of a server without a password: on a test network, let them in.
    ...(host === '127.0.0.1' ? [] : ['--protected-mode', 'no']),
    ...(options.extraArgs ?? []),
  ];
}

/** Starts a private redis-server on a free port; see {@link RedisServerOptions} for the knobs. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  installExitHook();
  const binary = options.binary ?? 'redis-server';
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  const host = options.host ?? '127.0.0.1';
  const dir = mkdtempSync(join(tmpdir(), 'cm-redis-'));
  dirs.add(dir);

  const start = async (port: number): Promise<Spawned> => {
    const spawned = spawnServer([...(options.commandPrefix ?? []), binary, ...serverArgs(host, port, dir, options)]);
    await waitUntilReady(spawned, host, port, startTimeoutMs);
    return spawned;
  };

  // Another process can take the port between findFreePort() and redis-server's bind: retry then.
  let port = 0;
  let current: Spawned | undefined;
  for (let attempt = 1; current === undefined; attempt++) {
    port = await findFreePort();
    try {
      current = await start(port);
    } catch (error) {
      const raced = error instanceof Error && /address already in use/i.test(error.message);
      if (!raced || attempt >= 5) {
        rmSync(dir, { recursive: true, force: true });
        dirs.delete(dir);
        throw error;
      }
    }
  }

  let running: Spawned | undefined = current;
  const url = `redis://${host}:${port}`;
  const signal = async (name: NodeJS.Signals): Promise<void> => {
    const child = running?.child;
    running = undefined;
    if (child === undefined) return;
    child.kill(name);
    await waitForExit(child);
  };

  return {
    url,
    host,
    port,
    dir,
    stop: async () => {
      await signal('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
      dirs.delete(dir);
    },
    kill: () => signal('SIGKILL'),
    restart: async () => {
      await signal('SIGTERM');
      running = await start(port);
    },
    flushAll: async () => {
      const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await client.connect();
        await client.flushall();
      } finally {
        client.disconnect();
      }
    },
  };
}
