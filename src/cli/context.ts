import { userInfo } from 'node:os';
import { loadConfig, type Config } from '../config/load-config.js';
import { createLogger, type Logger } from '../logger.js';
import { openStore, type Store } from '../main.js';
import { terminalSafe } from './terminal-text.js';

/** What every command gets: lazily loaded config, logger and store, and the one stdout writer. */
export interface CliContext {
  config(): Readonly<Config>;
  logger(): Logger;
  /** Opens (and migrates) the store once; closed by the CLI when the command ends. */
  store(): Store;
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
  close(): Promise<void>;
}

export function createCliContext(): CliContext {
  let config: Readonly<Config> | undefined;
  let logger: Logger | undefined;
  let store: Store | undefined;
  const closers: Array<() => Promise<void> | void> = [];
  const ctx: CliContext = {
    config: () => (config ??= loadConfig()),
    logger: () => (logger ??= createLogger(ctx.config().logLevel)),
    store: () => {
      if (!store) {
        const opened = openStore(ctx.config());
        store = opened;
        closers.push(() => { opened.close(); });
      }
      return store;
    },
    out: (text) => process.stdout.write(safeLine(text)),
    err: (text) => process.stderr.write(safeLine(text)),
    actor: `cli:${safeUser()}`,
    onClose: (close) => closers.push(close),
    close: async () => {
      // Reverse order of creation, continuing past errors.
      for (const close of closers.reverse()) {
        try {
          await close();
        } catch (error) {
          ctx.err(`warning: cleanup failed: ${(error as Error).message}`);
        }
      }
      logger?.flush();
    },
  };
  return ctx;
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
