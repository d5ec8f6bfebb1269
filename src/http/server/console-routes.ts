import type { FastifyInstance } from 'fastify';
import type { AuthDeps } from './auth.js';
import type { ServerDeps } from './server-deps.js';

/** The web console (filled in with the console's pages). */
export function registerConsoleRoutes(_app: FastifyInstance, _deps: ServerDeps, _auth: AuthDeps): void {}
