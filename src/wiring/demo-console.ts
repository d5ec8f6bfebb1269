/**
 * `npm start` with nothing configured: the worker runs on the demo data, and the console runs
 * beside it so a newcomer can open it at once. The first start of a store with no token prints an
 * admin token (shown once, stored hashed). A port already taken costs the console, not the worker.
 */
import { issueToken } from '../app/api-tokens.js';
import type { Config } from '../config/load-config.js';
import type { Logger } from '../logger.js';
import { openSqliteStore } from './open-store.js';
import { startServer, type RunningServer } from './start-server.js';

export const FIRST_RUN_TOKEN_NAME = 'first-run-admin';

export async function startDemoConsole(config: Config, logger: Logger, print: (line: string) => void): Promise<RunningServer | undefined> {
  let server: RunningServer;
  try {
    server = await startServer(config, logger);
  } catch (error) {
    logger.warn({ err: (error as Error).message, port: config.apiPort }, 'console not started (is CM_API_PORT taken?); the worker runs on');
    return undefined;
  }
  let token: string | undefined;
  if (config.store.dialect === 'sqlite') {
    const store = openSqliteStore(config.store.path);
    try {
      if ((await store.repos.tokens.list()).length === 0) token = (await issueToken(FIRST_RUN_TOKEN_NAME, 'admin', { tokens: store.repos.tokens, clock: Date.now })).token;
    } finally {
      await store.close();
    }
  }
  print(`console: ${server.url}/login`);
  if (token !== undefined) print(`first-run admin token (shown once; "credit-monitor tokens revoke ${FIRST_RUN_TOKEN_NAME}" when you have your own): ${token}`);
  return server;
}
