/**
 * Canary secrets (DESIGN "Configuration": secrets never appear in logs, error messages or `status`
 * output; "Webhook": job data carries ids, never secrets or personal data). Every secret the daemon
 * can hold is planted with a unique value, then the worker runs through a check and deliveries at
 * LOG_LEVEL=trace (with a webhook 500 and an SMTP rejection on the way), and the CLI runs `status`,
 * `check` against failing providers and invalid configurations. No canary may appear in any output
 * line, in Redis (every key under the prefix, every value) or in the SQLite audit tables.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../helpers/poll-until.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { CLI_PATH, REPO_ROOT, cliSandbox, type CliResult, type CliSandbox } from '../helpers/run-cli.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { startTianyanchaFake, tycBaseInfo, type TianyanchaFake } from '../helpers/tianyancha-fake.js';
import { validUscc } from '../helpers/valid-uscc.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const tag = randomBytes(4).toString('hex');
const CANARY = {
  redisPassword: `redispw-canary-${tag}`,
  tianyanchaToken: `tyc-canary-${tag}`,
  qichachaKey: `qcckey-canary-${tag}`,
  qichachaSecret: `qccsecret-canary-${tag}`,
  webhookSecretBody: Buffer.from(`whsec-canary-${tag}-0123456789`).toString('base64'),
  smtpPassword: '', // the sink's, set in beforeAll
};
const webhookSecret = (): string => `whsec_${CANARY.webhookSecretBody}`;
const canaries = (): string[] => Object.values(CANARY).filter(Boolean);

const USCC = validUscc(4242);
/** Personal data that must not reach Redis job data either. */
const LEGAL_PERSON = `法人金丝雀${tag}`;
const PREFIX = `cmsecrets-${tag}`;

let redis: RedisServer;
let smtp: SmtpSink;
let hook: WebhookReceiver;
let tyc: TianyanchaFake;
let cli: CliSandbox;
/** Every stdout/stderr text seen in this file, with what produced it. */
const outputs: Array<{ what: string; text: string }> = [];

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_URL: `redis://:${CANARY.redisPassword}@127.0.0.1:${redis.port}`,
    CM_QUEUE_PREFIX: PREFIX,
    CM_PROVIDER: 'tianyancha',
    CM_PROVIDER_URL: tyc.url,
    CM_TIANYANCHA_TOKEN: CANARY.tianyanchaToken,
    CM_QICHACHA_KEY: CANARY.qichachaKey,
    CM_QICHACHA_SECRET: CANARY.qichachaSecret,
    CM_WEBHOOK_URL: hook.url,
    CM_WEBHOOK_SECRET: webhookSecret(),
    CM_SMTP_URL: smtp.url,
    CM_MAIL_FROM: 'monitor@example.com',
    CM_MAIL_TO: 'ops@example.com',
    CM_HTTP_PORT: '0',
    CM_SHUTDOWN_GRACE: '5s',
    LOG_LEVEL: 'trace',
    ...extra,
  };
}

async function run(what: string, args: string[], extra: Record<string, string> = {}): Promise<CliResult> {
  const result = await cli.run(args, env(extra));
  outputs.push({ what: `${what} stdout`, text: result.stdout }, { what: `${what} stderr`, text: result.stderr });
  return result;
}

function expectNoCanary(what: string, text: string): void {
  for (const canary of canaries()) {
    expect(text.includes(canary), `${what} contains the canary ${canary}:\n${text.slice(Math.max(0, text.indexOf(canary) - 300), text.indexOf(canary) + 100)}`).toBe(false);
  }
}

beforeAll(async () => {
  // requirepass after start: the helper's readiness probe is an unauthenticated PING.
  redis = await startRedisServer();
  const admin = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await admin.connect();
  await admin.config('SET', 'requirepass', CANARY.redisPassword);
  admin.disconnect();
  smtp = await startSmtpSink();
  CANARY.smtpPassword = smtp.password;
  hook = await startWebhookReceiver(webhookSecret());
  tyc = await startTianyanchaFake(CANARY.tianyanchaToken);
  tyc.companies.set(USCC, {
    baseInfo: tycBaseInfo(USCC, { name: '金丝雀测试有限公司', regStatus: '吊销，未注销', legalPersonName: LEGAL_PERSON }),
    abnormal: [],
    illegal: [],
  });
  cli = cliSandbox();
  expect((await run('migrate', ['migrate'])).code).toBe(0);
  expect((await run('customers add', ['customers', 'add', '--uscc', USCC, '--name', '金丝雀测试有限公司'])).code).toBe(0);
});

afterAll(async () => {
  await Promise.allSettled([hook.close(), smtp.close(), tyc.close(), redis.stop()]);
  cli.cleanup();
});

describe('canary secrets', () => {
  it('the worker through a check, a failed and a retried webhook, a rejected and a retried e-mail: no canary in its output', async () => {
    hook.script({ status: 500, body: 'boom' });
    smtp.reject({ stage: 'data', code: 451, message: 'try again later' });
    const child = spawn(process.execPath, [CLI_PATH, 'worker'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: cli.dir, TZ: 'UTC', CM_DB: cli.dbPath, ...env() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => { resolve(code); }));
    try {
      // The 500 first, then the retry (DESIGN: first retry within 10 s), and the mail after its 451.
      await pollUntil(() => hook.received.length >= 2, { timeoutMs: 30_000, what: 'the webhook retry' });
      await pollUntil(() => smtp.received.length >= 1, { timeoutMs: 30_000, what: 'the e-mail retry' });
    } finally {
      child.kill('SIGTERM');
      await exited;
      outputs.push({ what: 'worker stdout', text: out }, { what: 'worker stderr', text: err });
    }
    expect(hook.received.every((r) => r.verified)).toBe(true);
    expect(out.length + err.length).toBeGreaterThan(0); // trace logging did log
    expectNoCanary('worker stdout', out);
    expectNoCanary('worker stderr', err);
    // Nor in what went out: a webhook body or an e-mail carries no secret.
    for (const r of hook.received) expectNoCanary('webhook body', r.body);
    for (const m of smtp.received) expectNoCanary('e-mail', m.raw.toString('utf8'));
  }, 60_000);

  it('status --json and status: no canary', async () => {
    const json = await run('status --json', ['status', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const text = await run('status', ['status']);
    expect(text.code, text.stderr).toBe(0);
    for (const r of [json, text]) {
      expectNoCanary('status stdout', r.stdout);
      expectNoCanary('status stderr', r.stderr);
    }
  });

  it.each([
    ['天眼查 with a wrong token (the fake refuses it)', { CM_TIANYANCHA_TOKEN: `${CANARY.tianyanchaToken}-wrong` }],
    ['天眼查 unreachable', { CM_PROVIDER_URL: 'http://127.0.0.1:1' }],
    ['企查查 unreachable', { CM_PROVIDER: 'qichacha', CM_PROVIDER_URL: 'http://127.0.0.1:1' }],
    ['企查查 at a server that is not 企查查', { CM_PROVIDER: 'qichacha', CM_PROVIDER_URL: 'http://127.0.0.1:1/ECIV4' }],
  ])('check against %s: fails in one line without a canary', async (what, extra) => {
    const result = await run(`check (${what})`, ['check', '--uscc', USCC], extra);
    expect(result.stdout + result.stderr).not.toBe('');
    expectNoCanary(what, result.stdout + result.stderr);
    // The wrong token is a canary of its own.
    expect(result.stderr).not.toContain(`${CANARY.tianyanchaToken}-wrong`);
  });

  it.each([
    ['REDIS_URL', { REDIS_URL: `http://:${CANARY.redisPassword}@127.0.0.1:1` }],
    ['REDIS_URL', { REDIS_URL: `redis://:${CANARY.redisPassword}@127.0.0.1:1:2:3` }],
    ['CM_SMTP_URL', { CM_SMTP_URL: `ftp://user:${CANARY.smtpPassword}@127.0.0.1:25` }],
    ['CM_WEBHOOK_SECRET', { CM_WEBHOOK_SECRET: `${webhookSecret()}!!` }],
    ['CM_WEBHOOK_SECRET', { CM_WEBHOOK_SECRET: CANARY.tianyanchaToken }],
    ['CM_PROVIDER', { CM_PROVIDER: 'bogus' }],
    ['CM_WEBHOOK_URL', { CM_WEBHOOK_URL: `http://user:${CANARY.qichachaSecret}@[bad` }],
  ])('an invalid %s: exit 2, one line, no canary', async (key, extra) => {
    const result = await run(`invalid ${key}`, ['status', '--json'], extra);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(key);
    expectNoCanary(`invalid ${key}`, result.stderr);
    expect(result.stderr).not.toContain(`${webhookSecret()}!!`);
  });

  it('Redis: no canary and no personal data in any key or value under the prefix', async () => {
    const client = new Redis(redis.url, { password: CANARY.redisPassword, lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
    try {
      const keys = await client.keys(`${PREFIX}*`);
      expect(keys.length).toBeGreaterThan(0);
      const dump: string[] = [];
      for (const key of keys) {
        const type = await client.type(key);
        const value =
          type === 'string' ? await client.get(key)
          : type === 'hash' ? await client.hgetall(key)
          : type === 'list' ? await client.lrange(key, 0, -1)
          : type === 'set' ? await client.smembers(key)
          : type === 'zset' ? await client.zrange(key, 0, -1, 'WITHSCORES')
          : type === 'stream' ? await client.xrange(key, '-', '+')
          : null;
        dump.push(`${key} ${type} ${JSON.stringify(value)}`);
      }
      const text = dump.join('\n');
      expectNoCanary('Redis', text);
      expect(text).not.toContain(LEGAL_PERSON);
      expect(text).not.toContain('金丝雀测试有限公司');
    } finally {
      client.disconnect();
    }
  });

  it('SQLite deliveries, events and audit_log: no canary', () => {
    const db = new Database(cli.dbPath, { readonly: true });
    try {
      for (const table of ['deliveries', 'events', 'audit_log']) {
        const rows = db.prepare(`select * from ${table}`).all();
        if (table !== 'audit_log') expect(rows.length, table).toBeGreaterThan(0);
        expectNoCanary(`table ${table}`, JSON.stringify(rows));
      }
    } finally {
      db.close();
    }
  });

  it('every output seen in this file: no canary', () => {
    expect(outputs.length).toBeGreaterThan(10);
    for (const { what, text } of outputs) expectNoCanary(what, text);
  });
});
