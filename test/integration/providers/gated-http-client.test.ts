/**
 * The gate in front of the HTTP client: a request takes its token only once a connection is free
 * for it (a token taken early would reach the provider later, in a burst with others), and the
 * provider's rate-limit answer goes back to the gate whether it is an HTTP 429 or a business code
 * in a 200 body. Counts, not timings.
 */
import type { ServerResponse } from 'node:http';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { gatedHttpClient, type GateAnswer, type GateOutcome, type RequestGate } from '../../../src/providers/gated-http-client.js';
import { createHttpClient } from '../../../src/providers/http-client.js';
import { tycRateLimitIn } from '../../../src/providers/tianyancha/tianyancha-codes.js';
import { pollUntil } from '../../helpers/poll-until.js';
import { startTestHttpServer, type TestHttpServer } from '../../helpers/test-http-server.js';

/** A gate that admits everyone and records what it was asked and told. */
function recordingGate(answer: () => GateAnswer<number> = () => ({ admitted: true, ticket: 0 })) {
  const outcomes: GateOutcome[] = [];
  let acquired = 0;
  const gate: RequestGate<number> = {
    acquire: () => {
      acquired += 1;
      return Promise.resolve(answer());
    },
    settle: (_ticket, outcome) => {
      outcomes.push(outcome);
      return Promise.resolve();
    },
  };
  return { gate, outcomes, acquired: () => acquired };
}

let server: TestHttpServer;
const held: ServerResponse[] = [];
/** While true, `/held` requests wait for the test to answer them. */
let holding = true;
const answer = (res: ServerResponse): void => {
  res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
};

beforeAll(async () => {
  server = await startTestHttpServer((req, res) => {
    switch (req.url ?? '/') {
      case '/held':
        if (holding) held.push(res);
        else answer(res);
        return;
      case '/tyc-rate-limited':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"error_code":300004,"reason":"访问频率过快","result":null}');
        return;
      case '/429':
        res.writeHead(429, { 'retry-after': '2' }).end();
        return;
      default:
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"error_code":0,"result":{}}');
    }
  });
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  holding = true;
  for (const res of held.splice(0)) answer(res);
});

const signal = (): AbortSignal => AbortSignal.timeout(10_000);

describe('gatedHttpClient', () => {
  it('takes a token only when one of its connections is free', { timeout: 15_000 }, async () => {
    const agent = new Agent({ connections: 2 });
    const recording = recordingGate();
    const http = gatedHttpClient(createHttpClient({ dispatcher: agent }), recording.gate, { maxInFlight: 2 });
    const calls = Array.from({ length: 5 }, () => http.getJson(`${server.url}/held`, { signal: signal() }));

    await pollUntil(() => held.length === 2, { what: 'two requests at the server' });
    expect(recording.acquired(), 'tokens taken while two requests hold both connections').toBe(2);
    answer(held.shift() as ServerResponse);
    await pollUntil(() => held.length === 2, { what: 'the third request at the server' });
    expect(recording.acquired()).toBe(3);

    holding = false;
    for (const res of held.splice(0)) answer(res);
    expect((await Promise.all(calls)).every((r) => r.ok)).toBe(true);
    expect(recording.outcomes).toEqual(Array.from({ length: 5 }, () => ({ kind: 'answered' })));
    await agent.close();
  });

  it('reports a rate-limit answer in a 200 body (天眼查 300004) and an HTTP 429 to the gate as pacing', async () => {
    const recording = recordingGate();
    const http = gatedHttpClient(createHttpClient(), recording.gate, { maxInFlight: 4 });
    const rateLimitIn = ({ body }: { body: unknown }) => tycRateLimitIn(body, 'test');
    await http.getJson(`${server.url}/tyc-rate-limited`, { signal: signal(), rateLimitIn });
    await http.getJson(`${server.url}/429`, { signal: signal() });
    await http.getJson(`${server.url}/ok`, { signal: signal(), rateLimitIn });
    expect(recording.outcomes).toEqual([
      { kind: 'rate_limited', retryAfterMs: undefined },
      { kind: 'rate_limited', retryAfterMs: 2000 },
      { kind: 'answered' },
    ]);
    await http.close();
  });

  it('sends nothing while the gate says the provider is paused, and answers rate_limited with the wait', async () => {
    const recording = recordingGate(() => ({ admitted: false, retryAfterMs: 90_000 }));
    const http = gatedHttpClient(createHttpClient(), recording.gate, { maxInFlight: 4 });
    const before = server.requests.length;
    const result = await http.getJson(`${server.url}/ok`, { signal: signal() });
    expect(result).toMatchObject({ ok: false, error: { kind: 'rate_limited', retryAfterMs: 90_000 } });
    expect(server.requests.length).toBe(before);
    expect(recording.outcomes).toEqual([]);
    await http.close();
  });
});
