/**
 * Hostile provider bodies under `check --uscc` (CM_PROVIDER=mock at a tiny HTTP server speaking the
 * mock provider's wire format, docs/mock-provider.md): huge, deeply nested, not JSON, and names
 * full of control characters. The check must not crash; a bad section fails with a one-line warning
 * naming the fault, no event comes from it, and the previous snapshot stays.
 */
import type { ServerResponse } from 'node:http';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliSandbox, type CliSandbox } from '../../helpers/run-cli.js';
import { startTestHttpServer, type TestHttpServer } from '../../helpers/test-http-server.js';
import { validUscc } from '../../helpers/valid-uscc.js';

const USCC = validUscc(900);
const GOOD_NAME = '测试样例900有限公司';
type Mode = 'ok' | 'huge' | 'huge-chunked' | 'nested' | 'nested-object' | 'not-json' | 'nul-json' | 'hostile-name';
let mode: Mode = 'ok';
const HOSTILE = 'Evil\u0000Co\u2028next\u202Egnp.exe\u001b[31mRED\u001b[0m\nFORGED 2026-01-01T00:00:00.000Z critical';

function registration(name: string): string {
  return JSON.stringify({
    code: 0,
    data: { creditCode: USCC, name, status: '存续', legalPerson: '张三', regCapital: '1000万人民币', address: '北京市', scope: '技术开发', establishedOn: '2015-06-01' },
  });
}

function answer(url: string, res: ServerResponse): void {
  res.setHeader('content-type', 'application/json; charset=utf-8');
  if (!url.includes('/registration')) {
    res.end(JSON.stringify({ code: 204, message: '无数据' }));
    return;
  }
  switch (mode) {
    case 'ok': res.end(registration(GOOD_NAME)); return;
    case 'hostile-name': res.end(registration(HOSTILE)); return;
    case 'huge': {
      const body = `{"code":0,"data":{"name":"${'x'.repeat(5 * 1024 * 1024)}"}}`;
      res.setHeader('content-length', Buffer.byteLength(body));
      res.end(body);
      return;
    }
    case 'huge-chunked': // no Content-Length: the limit must hold while streaming
      res.write('{"code":0,"data":{"name":"');
      for (let i = 0; i < 40; i++) res.write('y'.repeat(128 * 1024));
      res.end('"}}');
      return;
    case 'nested': res.end('['.repeat(100_000) + ']'.repeat(100_000)); return;
    case 'nested-object': res.end(`{"code":0,"data":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`); return;
    case 'not-json': res.end('<html><body>502 Bad Gateway</body></html>'); return;
    case 'nul-json': res.end(`{"code":0,"data":\u0000}`); return;
  }
}

let server: TestHttpServer;
let cli: CliSandbox;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startTestHttpServer((req, res) => { answer(req.url ?? '', res); });
  cli = cliSandbox();
  env = { CM_PROVIDER: 'mock', CM_PROVIDER_URL: server.url };
  expect((await cli.run(['customers', 'add', '--uscc', USCC, '--name', '样例客户'])).code).toBe(0);
  mode = 'ok';
  const baseline = await cli.run(['check', '--uscc', USCC], env);
  expect(baseline.code, baseline.stderr).toBe(0);
});

afterAll(async () => {
  await server.close();
  cli.cleanup();
});

function snapshots(): Array<{ id: number; payload: string }> {
  const db = new Database(cli.dbPath, { readonly: true });
  try {
    return db.prepare('select * from snapshots order by id').all() as Array<{ id: number; payload: string }>;
  } finally {
    db.close();
  }
}

/** Events other than monitoring.degraded/recovered (a run of failed checks rightly raises degraded). */
function eventCount(): number {
  const db = new Database(cli.dbPath, { readonly: true });
  try {
    return (db.prepare("select count(*) as n from events where type not like 'monitoring.%'").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('a hostile body fails its section, not the check', () => {
  it.each([
    ['huge' as const, /registration.*exceeds the limit of \d+ bytes/],
    ['huge-chunked' as const, /registration.*exceeds the limit of \d+ bytes/],
    ['nested' as const, /registration.*(envelope|invalid)/],
    ['nested-object' as const, /registration.*(invalid|schema|data)/],
    ['not-json' as const, /registration.*not valid JSON/],
    ['nul-json' as const, /registration.*not valid JSON/],
  ])('%s', async (m, fault) => {
    const before = snapshots();
    const events = eventCount();
    mode = m;
    const result = await cli.run(['check', '--uscc', USCC], env);
    mode = 'ok';
    // The check ran: a provider fault is a warning, exit 0 (nothing the operator gave was rejected).
    expect(result.code, result.stderr).toBe(0);
    const warnings = result.stderr.split('\n').filter(Boolean);
    expect(warnings, result.stderr).toHaveLength(1);
    expect(warnings[0]).toMatch(/^warning: .*section registration failed \(invalid_response\)/);
    expect(warnings[0]).toMatch(fault);
    expect(warnings[0]!.length).toBeLessThan(400);
    expect(result.stdout).toMatch(/new event\(s\), 1 section\(s\) failed/);
    expect(result.stdout).not.toMatch(/registration\./);
    expect(eventCount()).toBe(events);
    expect(snapshots()).toEqual(before);
  });
});

describe('control characters in a provider name', () => {
  it('are stored as the provider sent them (normalised), but `events` and `check` text cannot be forged by them', async () => {
    mode = 'hostile-name';
    const check = await cli.run(['check', '--uscc', USCC], env);
    mode = 'ok';
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/registration\.name_changed/);
    const text = await cli.run(['events']);
    expect(text.code, text.stderr).toBe(0);
    for (const output of [check.stdout, text.stdout]) {
      // eslint-disable-next-line no-control-regex -- the point of the test
      expect(output).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F\u2028\u2029\u202A-\u202E]/u);
      expect(output.split('\n').filter((l) => l.includes('FORGED'))).toHaveLength(1);
      expect(output).toContain('\\u202E');
      expect(output).toContain('\\u001B[31m');
    }
    // JSON keeps the data (escaped by JSON itself) for machines; the newline was collapsed by normalising.
    const json = JSON.parse((await cli.run(['events', '--json'])).stdout) as { events: Array<{ type: string; change?: { after: string } }> };
    const after = json.events.find((e) => e.type === 'registration.name_changed')?.change?.after;
    expect(after).toContain('\u202E');
    expect(after).not.toContain('\n');
  });
});
