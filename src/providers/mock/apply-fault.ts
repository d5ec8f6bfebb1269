import type { ServerResponse } from 'node:http';
import type { SectionName } from '../../domain/sections.js';
import type { ActiveFault } from './fault-injector.js';
import { sendJson } from './http-io.js';
import type { MockStateStore } from './mock-state-store.js';
import { NO_DATA_BODY, NOT_FOUND_BODY, normalAnswer, registrationBody } from './provider-answers.js';
import { MOCK_CODES } from './wire-paths.js';

export interface FaultContext {
  res: ServerResponse;
  store: MockStateStore;
  uscc: string;
  section: SectionName;
  query: URLSearchParams;
  path: string;
}

/** A company that exists nowhere, for a foreign body when the state holds a single company. */
const STRANGER_USCC = '91110000MA0000001L';

/**
 * Answers one request the way the fault says. Returns the HTTP status written, or "none" when the
 * fault sends no answer (timeout, reset) or the answer is cut; `latency` is handled by the caller.
 */
export function applyFault(fault: ActiveFault, ctx: FaultContext): number | 'none' {
  const { res } = ctx;
  switch (fault.kind) {
    case '5xx': {
      const status = fault.httpStatus ?? 503;
      sendJson(res, status, { code: MOCK_CODES.unavailable, message: '服务暂不可用' });
      return status;
    }
    case 'rate_limit': {
      const status = fault.httpStatus ?? 429;
      const headers = fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
      sendJson(res, status, { code: MOCK_CODES.rateLimited, message: '请求过于频繁' }, headers);
      return status;
    }
    case 'timeout':
      // Headers are never sent; the connection stays open until the client gives up or the server closes.
      return 'none';
    case 'reset':
      res.socket?.resetAndDestroy();
      return 'none';
    case 'malformed':
      return sendRaw(res, 200, 'application/json; charset=utf-8', '{"code":0,"data":{"name":"示例\'公司}}');
    case 'truncated':
      truncate(res, JSON.stringify(normalAnswer(ctx.store, ctx.uscc, ctx.section, ctx.query).body), fault);
      return 'none';
    case 'foreign': {
      const other = ctx.store.otherThan(ctx.uscc) ?? { ...strangerTemplate(), uscc: STRANGER_USCC };
      sendJson(res, 200, registrationBody(other));
      return 200;
    }
    case 'html': {
      const status = fault.httpStatus ?? 200;
      return sendRaw(res, status, 'text/html; charset=utf-8', '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>');
    }
    case 'latency':
      return sendAnswer(ctx);
    case 'not_found':
      sendJson(res, 200, NOT_FOUND_BODY);
      return 200;
    case 'no_data':
      sendJson(res, 200, NO_DATA_BODY);
      return 200;
    case 'auth':
      sendJson(res, 401, { code: MOCK_CODES.unauthorised, message: '令牌无效' });
      return 401;
    case 'quota':
      sendJson(res, 200, { code: MOCK_CODES.quotaExhausted, message: '余额不足' });
      return 200;
    case 'bad_schema':
      sendJson(res, 200, { code: MOCK_CODES.ok, data: { total: '很多', items: '无', name: 42 } });
      return 200;
    case 'redirect':
      res.writeHead(302, { location: `/v1/moved${ctx.path}`, 'content-length': '0' });
      res.end();
      return 302;
    case 'oversize':
      streamOversize(res, fault.bytes ?? 3 * 1024 * 1024);
      return 200;
  }
}

/** The normal answer, written. */
export function sendAnswer(ctx: FaultContext): number {
  const answer = normalAnswer(ctx.store, ctx.uscc, ctx.section, ctx.query);
  sendJson(ctx.res, answer.status, answer.body, answer.headers);
  return answer.status;
}

function sendRaw(res: ServerResponse, status: number, contentType: string, text: string): number {
  const payload = Buffer.from(text, 'utf8');
  res.writeHead(status, { 'content-type': contentType, 'content-length': String(payload.length) });
  res.end(payload);
  return status;
}

/** Half the body, then the connection is cut: with a Content-Length the client sees too few bytes,
 *  chunked it never sees the final chunk. */
function truncate(res: ServerResponse, text: string, fault: ActiveFault): void {
  const payload = Buffer.from(text, 'utf8');
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (fault.framing !== 'chunked') headers['content-length'] = String(payload.length);
  res.writeHead(200, headers);
  res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => res.destroy());
}

/** A valid JSON document of about `bytes` bytes, streamed with back-pressure until the client hangs up. */
function streamOversize(res: ServerResponse, bytes: number): void {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  const chunk = 'x'.repeat(64 * 1024);
  let left = bytes;
  const pump = (): void => {
    while (left > 0 && !res.destroyed) {
      const piece = chunk.slice(0, Math.min(left, chunk.length));
      left -= piece.length;
      if (!res.write(piece)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end('"}}');
  };
  res.write(`{"code":${MOCK_CODES.ok},"data":{"padding":"`);
  pump();
}

function strangerTemplate(): Omit<Parameters<typeof registrationBody>[0], 'uscc'> {
  return {
    name: '无关示例有限公司',
    status: '存续',
    legalPerson: '张三',
    regCapital: '100万人民币',
    address: null,
    scope: null,
    establishedOn: '2020-01-01',
    abnormalOperations: [],
    seriousViolations: [],
  };
}
