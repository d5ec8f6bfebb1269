import { userInfo } from 'node:os';
import { loadConfig, type Config } from '../config/load-config.js';
import { createLogger, type Logger } from '../logger.js';
import { openStore, type Store } from '../main.js';

/** What every command gets: lazily loaded config, logger and store, and the one stdout writer. */
export interface CliContext {
  config(): Readonly<Config>;
  logger(): Logger;
  /** Opens (and migrates) the store once; closed by the CLI when the command ends. */
  store(): Store;
  out(text: string): void;
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
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    actor: `cli:${safeUser()}`,
    onClose: (close) => closers.push(close),
    close: async () => {
      // Reverse order of creation, continuing past errors.
      for (const close of closers.reverse()) {
        try {
          await close();
        } catch (error) {
          process.stderr.write(`warning: cleanup failed: ${(error as Error).message}\n`);
        }
      }
      logger?.flush();
    },
  };
  return ctx;
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
