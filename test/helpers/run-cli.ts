import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI_PATH = join(REPO_ROOT, 'dist', 'cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliSandbox {
  dir: string;
  dbPath: string;
  /** Runs `node dist/cli.js ...args` with CM_DB in the sandbox; `env` adds or overrides variables. */
  run(args: readonly string[], env?: Record<string, string>): Promise<CliResult>;
  cleanup(): void;
}

/**
 * The built CLI in a child process, with a clean environment: only PATH/HOME from ours, TZ=UTC,
 * LOG_LEVEL=warn, CM_DB in a fresh temp dir, and REDIS_URL at a port nothing listens on (port 1).
 */
/** A CLI run is killed after this (a 50 MB import takes 20 s and more on a loaded two-core machine). */
const CLI_TIMEOUT_MS = 55_000;

export function cliSandbox(): CliSandbox {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run "npm run build" first`);
  const dir = mkdtempSync(join(tmpdir(), 'cm-e2e-'));
  const dbPath = join(dir, 'cm.db');
  const base: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    TZ: 'UTC',
    LOG_LEVEL: 'warn',
    CM_DB: dbPath,
    REDIS_URL: 'redis://127.0.0.1:1',
  };
  return {
    dir,
    dbPath,
    run: (args, env = {}) =>
      new Promise((resolve) => {
        execFile(
          process.execPath,
          [CLI_PATH, ...args],
          { cwd: REPO_ROOT, env: { ...base, ...env }, encoding: 'utf8', timeout: CLI_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
          (error, stdout, stderr) => {
            const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
            resolve({ code, stdout, stderr });
          },
        );
      }),
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
