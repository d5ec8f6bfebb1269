import { request } from 'undici';
import type { FaultKind } from '../../src/providers/mock/fault-injector.js';
import type { MockStats } from '../../src/providers/mock/request-stats.js';
import type { MockCompany, MockListEntry, MockState } from '../../src/providers/mock/state.js';

export interface FaultRequest {
  kind: FaultKind;
  uscc?: string;
  section?: string;
  times?: number;
  probability?: number;
  seed?: number;
  latencyMs?: number;
  retryAfterSeconds?: number;
  httpStatus?: number;
  bytes?: number;
  framing?: 'content-length' | 'chunked';
}

type ListPath = 'abnormal-operations' | 'serious-violations' | 'administrative-penalties' | 'dishonest-debtors';

/** A running mock provider: its base URL and the control token it was started with (or generated). */
export interface MockControlTarget {
  url: string;
  controlToken: string;
}

/**
 * Typed calls to a running mock provider's `/_control/` API, over real HTTP, with its token and a
 * JSON content type (the control API refuses anything else). Throws on a non-2xx.
 */
export function mockProviderControl(target: MockControlTarget) {
  async function call<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const response = await request(`${target.url}/_control/${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-control-token': target.controlToken },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await response.body.text();
    if (response.statusCode >= 300) throw new Error(`${method} /_control/${path}: HTTP ${response.statusCode} ${text}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }
  const company = (uscc: string) => `companies/${encodeURIComponent(uscc)}`;
  return {
    call,
    state: () => call<MockState>('GET', 'state'),
    reset: () => call<undefined>('POST', 'reset'),
    stats: () => call<MockStats>('GET', 'stats'),
    resetStats: () => call<undefined>('POST', 'stats/reset'),
    addFault: (fault: FaultRequest) => call<FaultRequest & { id: string }>('POST', 'faults', fault),
    clearFaults: () => call<undefined>('DELETE', 'faults'),
    putCompany: (uscc: string, body: Omit<Partial<MockCompany>, 'uscc'>) => call<MockCompany>('PUT', company(uscc), body),
    patchCompany: (uscc: string, patch: Partial<MockCompany>) => call<MockCompany>('PATCH', company(uscc), patch),
    deleteCompany: (uscc: string) => call<undefined>('DELETE', company(uscc)),
    addEntry: (uscc: string, list: ListPath, entry: Partial<MockListEntry>) =>
      call<MockListEntry>('POST', `${company(uscc)}/${list}`, entry),
    patchEntry: (uscc: string, list: ListPath, id: string, patch: Partial<MockListEntry>) =>
      call<MockListEntry>('PATCH', `${company(uscc)}/${list}/${encodeURIComponent(id)}`, patch),
    deleteEntry: (uscc: string, list: ListPath, id: string) =>
      call<undefined>('DELETE', `${company(uscc)}/${list}/${encodeURIComponent(id)}`),
  };
}

export type MockProviderControl = ReturnType<typeof mockProviderControl>;
