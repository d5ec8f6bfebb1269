import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { SectionName } from '../../domain/sections.js';
import { applyFault, sendAnswer, type FaultContext } from './apply-fault.js';
import type { FaultInjector } from './fault-injector.js';
import { sendJson } from './http-io.js';
import type { MockStateStore } from './mock-state-store.js';
import type { RequestStats } from './request-stats.js';
import { MOCK_CODES, sectionFromPath } from './wire-paths.js';

export interface ProviderApiContext {
  store: MockStateStore;
  faults: FaultInjector;
  stats: RequestStats;
  /** When set, every request must carry `authorization: Bearer <token>`. */
  token: string | undefined;
  /** Aborted when the server closes, to end pending latency waits. */
  closing: AbortSignal;
}

const ROUTE = /^\/v1\/companies\/([^/]+)\/([a-z-]+)$/;

/** Serves `GET /v1/companies/{uscc}/{section}`: auth, then an injected fault, else the normal answer. */
export async function handleProviderRequest(
  ctx: ProviderApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const match = ROUTE.exec(url.pathname);
  const uscc = match?.[1] === undefined ? undefined : safeDecode(match[1]);
  const section: SectionName | undefined = match?.[2] === undefined ? undefined : sectionFromPath(match[2]);
  const finished = ctx.stats.started(section ?? 'other', uscc);
  res.once('close', finished);

  if (uscc === undefined || section === undefined || req.method !== 'GET') {
    const status = section === undefined ? 404 : 405;
    sendJson(res, status, { code: status, message: status === 404 ? '接口不存在' : '仅支持 GET' });
    ctx.stats.answered(status);
    return;
  }
  if (ctx.token !== undefined && req.headers.authorization !== `Bearer ${ctx.token}`) {
    sendJson(res, 401, { code: MOCK_CODES.unauthorised, message: '未授权' });
    ctx.stats.answered(401);
    return;
  }

  const fault = ctx.faults.pick(uscc, section);
  const faultContext: FaultContext = { res, store: ctx.store, uscc, section, query: url.searchParams, path: url.pathname };
  if (fault === undefined) {
    ctx.stats.answered(sendAnswer(faultContext));
    return;
  }
  ctx.stats.faultInjected(fault.kind);
  if (fault.latencyMs !== undefined && fault.latencyMs > 0) {
    try {
      await delay(fault.latencyMs, undefined, { signal: ctx.closing });
    } catch {
      return; // the server is closing; its sockets are being destroyed
    }
    if (req.socket.destroyed) return; // the client gave up while we waited
  }
  ctx.stats.answered(applyFault(fault, faultContext));
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
