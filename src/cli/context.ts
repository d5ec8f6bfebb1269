import { userInfo } from 'node:os';
import type { Config } from '../config/load-config.js';
import { errorMessage } from '../lifecycle/releasers.js';
import type { Logger } from '../logger.js';
import { createParts, type Parts, type Store } from '../parts.js';
import { terminalSafe } from './terminal-text.js';

/** What every command gets: the parts main.ts opens on first use, the one stdout writer, the actor. */
export interface CliContext {
  config(): Readonly<Config>;
  logger(): Logger;
  /** Opens (and migrates) the store once; closed by the CLI when the command ends. */
  store(): Promise<Store>;
  /** Epoch ms now: the process's one clock. */
  clock(): number;
  /** Everything else a command may ask main.ts for (queues, check deps, the mock provider). */
  parts: Parts;
  /**
   * Prints one line (a text line or a compact JSON document) on stdout, with control and bidi
   * characters escaped (see terminalSafe: a JSON document stays valid and keeps its values).
   */
  out(text: string): void;
  /** Prints one line on stderr (a warning, a row message), escaped the same way as `out`. */
  err(text: string): void;
  /** Who is running the command, for the audit log. */
  actor: string;
  /** Registers cleanup run after the command, in reverse order. */
  onClose(close: () => Promise<void> | void): void;
  /** Releases everything the command opened, newest first, continuing past errors. */
  close(): Promise<void>;
}

export function createCliContext(): CliContext {
  const err = (text: string): void => { process.stderr.write(safeLine(text)); };
  const parts = createParts({
    onReleaseProblem: (problem) => {
      if (problem.kind === 'error') err(`warning: cleanup failed: ${errorMessage(problem.error)}`);
    },
  });
  return {
    config: parts.config,
    logger: parts.logger,
    store: parts.store,
    clock: parts.clock,
    parts,
    out: (text) => process.stdout.write(safeLine(text)),
    err,
    actor: `cli:${safeUser()}`,
    onClose: (close) => { parts.onRelease('cleanup', close); },
    close: () => parts.release(),
  };
}

/** One terminal-safe line: a single trailing newline is the caller's line end, any other is data. */
function safeLine(text: string): string {
  return `${terminalSafe(text.endsWith('\n') ? text.slice(0, -1) : text)}\n`;
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
