/**
 * The mock provider's control API against a hostile web page (issue 9 point 17): a browser lets any
 * site send a "simple" cross-site POST (`text/plain`, no custom header) to 127.0.0.1, and a
 * DNS-rebound page can even read the answers. The control API needs a JSON content type and the
 * server's token, so neither can change what the provider says.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProviderServer, type MockProviderServer } from '../../../src/providers/mock/server.js';
import { testCompany, testState } from '../../helpers/mock-provider-fixtures.js';

const COMPANY = testCompany(601);
let server: MockProviderServer;

beforeAll(async () => {
  server = await startMockProviderServer({ state: testState(COMPANY), controlToken: 'test-control-token-601' });
});

afterAll(async () => {
  await server.close();
});

async function send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  const response = await request(`${server.url}/_control/${path}`, { method: method as 'POST', headers, body: body ?? null });
  return { status: response.statusCode, text: await response.body.text() };
}

const FAULT = JSON.stringify({ kind: '5xx' });
const faultCount = async (): Promise<number> =>
  (JSON.parse((await send('GET', 'faults', { 'x-control-token': server.controlToken })).text) as { faults: unknown[] }).faults.length;

describe('the control API', () => {
  it('refuses a cross-site form POST (text/plain, no token): nothing changes', async () => {
    // What <form enctype="text/plain" method="post" action="http://127.0.0.1:PORT/_control/faults"> sends.
    const forged = await send('POST', 'faults', { 'content-type': 'text/plain', origin: 'https://evil.example' }, FAULT);
    expect(forged.status).toBe(401);
    expect(await send('POST', 'reset', { 'content-type': 'text/plain' })).toMatchObject({ status: 401 });
    expect(await faultCount()).toBe(0);
  });

  it('refuses a body that is not declared JSON, even with the token', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const answer = await send('POST', 'faults', { 'content-type': type, 'x-control-token': server.controlToken }, FAULT);
      expect(answer.status, type).toBe(415);
      expect(answer.text).toMatch(/application\/json/);
    }
    expect(await send('POST', 'faults', { 'x-control-token': server.controlToken }, FAULT)).toMatchObject({ status: 415 });
    expect(await faultCount()).toBe(0);
  });

  it('refuses a JSON request without the right token, reads included (a DNS-rebound page cannot read the state)', async () => {
    expect((await send('POST', 'faults', { 'content-type': 'application/json' }, FAULT)).status).toBe(401);
    expect((await send('POST', 'faults', { 'content-type': 'application/json', 'x-control-token': 'guess' }, FAULT)).status).toBe(401);
    const read = await send('GET', 'state', {});
    expect(read.status).toBe(401);
    expect(read.text).not.toContain(COMPANY.uscc);
    expect(await faultCount()).toBe(0);
  });

  it('accepts a JSON request with the token; sends no CORS headers that would let a page read it', async () => {
    const response = await request(`${server.url}/_control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'x-control-token': server.controlToken, origin: 'https://evil.example' },
      body: FAULT,
    });
    await response.body.dump();
    expect(response.statusCode).toBe(201);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(await faultCount()).toBe(1);
    expect((await send('DELETE', 'faults', { 'content-type': 'application/json', 'x-control-token': server.controlToken })).status).toBe(204);
  });

  it('generates a token when none is given, different for each server', async () => {
    const other = await startMockProviderServer({ state: testState(COMPANY) });
    try {
      expect(other.controlToken).toMatch(/^[0-9a-f]{32}$/);
      expect(other.controlToken).not.toBe(server.controlToken);
    } finally {
      await other.close();
    }
  });
});
