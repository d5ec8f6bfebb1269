/**
 * `credit-monitor mock-provider` (the built CLI): it prints its URL and the control API's token, and
 * the control API takes only requests that carry that token with a JSON body (issue 9 point 17).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'undici';
import { afterEach, expect, it } from 'vitest';
import { CLI_PATH, REPO_ROOT } from '../helpers/run-cli.js';
import { pollUntil } from '../helpers/poll-until.js';

const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
});

/** Starts the mock provider on a free port; resolves with the lines it printed on stdout. */
async function startMock(args: string[] = []): Promise<string[]> {
  const child = spawn(process.execPath, [CLI_PATH, 'mock-provider', '--port', '0', ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', TZ: 'UTC', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
  await pollUntil(() => stdout.split('\n').length > 2, { timeoutMs: 15_000, what: 'the mock provider\'s URL and token' });
  return stdout.trimEnd().split('\n');
}

async function addFault(url: string, headers: Record<string, string>): Promise<number> {
  const response = await request(`${url}/_control/faults`, { method: 'POST', headers, body: JSON.stringify({ kind: '5xx' }) });
  await response.body.dump();
  return response.statusCode;
}

it('prints the URL and a generated control token; the control API takes that token with JSON only', async () => {
  const [url, tokenLine] = await startMock();
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const token = /^x-control-token: ([0-9a-f]{32})$/.exec(tokenLine ?? '')?.[1];
  expect(token, tokenLine).toBeDefined();
  expect(await addFault(url!, { 'content-type': 'text/plain' })).toBe(401);
  expect(await addFault(url!, { 'content-type': 'text/plain', 'x-control-token': token! })).toBe(415);
  expect(await addFault(url!, { 'content-type': 'application/json', 'x-control-token': token! })).toBe(201);
});

it('--control-token sets the token', async () => {
  const [url, tokenLine] = await startMock(['--control-token', 'rehearsal-token']);
  expect(tokenLine).toBe('x-control-token: rehearsal-token');
  expect(await addFault(url!, { 'content-type': 'application/json', 'x-control-token': 'rehearsal-token' })).toBe(201);
});
