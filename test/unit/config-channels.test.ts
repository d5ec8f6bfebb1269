/**
 * Delivery channels are checked when the configuration is loaded: routing to a channel that is not
 * configured, a half-configured channel and a malformed channel option each stop the process with
 * CONFIG_INVALID naming the key, instead of rows that stay pending for ever or a failure at send time.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';

const cwd = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'cm-channels-'));
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const SMTP = { CM_SMTP_URL: 'smtp://user:pw-canary@mail.example.com:587', CM_MAIL_FROM: '信用监控 <credit@example.com>' };

let files = 0;
function policy(content: unknown): string {
  const file = join(dir, `policy-${String((files += 1))}.json`);
  writeFileSync(file, JSON.stringify(content));
  return file;
}

function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env, cwd);
  } catch (error) {
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    return (error as Error).message;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('routing to a channel that is not configured', () => {
  it.each([
    { name: 'CM_MAIL_TO without CM_SMTP_URL', env: { CM_MAIL_TO: 'risk@example.com', CM_MAIL_FROM: SMTP.CM_MAIL_FROM }, names: [/CM_MAIL_TO/, /CM_SMTP_URL/] },
    { name: 'CM_MAIL_TO without CM_MAIL_FROM', env: { CM_MAIL_TO: 'risk@example.com', CM_SMTP_URL: SMTP.CM_SMTP_URL }, names: [/CM_MAIL_TO/, /CM_MAIL_FROM/] },
    { name: 'CM_MAIL_TO without either', env: { CM_MAIL_TO: 'risk@example.com' }, names: [/CM_MAIL_TO/, /CM_SMTP_URL/, /CM_MAIL_FROM/] },
    {
      name: 'routing.tags without CM_SMTP_URL',
      env: { CM_CONFIG: policy({ routing: { tags: { 华东: { email: ['east@example.com'] } } } }) },
      names: [/key "routing\.tags\.华东\.email"/, /CM_SMTP_URL/],
    },
    {
      name: 'escalation.to without CM_MAIL_FROM',
      env: { CM_SMTP_URL: SMTP.CM_SMTP_URL, CM_CONFIG: policy({ escalation: { to: ['boss@example.com'] } }) },
      names: [/key "escalation\.to"/, /CM_MAIL_FROM/],
    },
  ])('$name', ({ env, names }) => {
    const message = refusal(env);
    for (const name of names) expect(message).toMatch(name);
    expect(message).not.toContain('pw-canary');
    expect(message.split('\n')).toHaveLength(1);
  });

  it('accepts recipients that would never receive anything (no tier is mailed, escalation off)', () => {
    const file = policy({
      routing: { email: { immediateTiers: [], digestTiers: [] }, tags: { 华东: { email: ['east@example.com'] } } },
      escalation: { to: ['boss@example.com'], maxTimes: 0 },
    });
    expect(loadConfig({ CM_MAIL_TO: 'risk@example.com', CM_CONFIG: file }, cwd).mail.to).toEqual(['risk@example.com']);
  });

  it('accepts every e-mail route once the SMTP channel is configured', () => {
    const file = policy({ routing: { tags: { 华东: { email: ['east@example.com'] } } }, escalation: { to: ['boss@example.com'] } });
    const config = loadConfig({ ...SMTP, CM_MAIL_TO: 'risk@example.com', CM_CONFIG: file }, cwd);
    expect(config.mail).toMatchObject({ from: SMTP.CM_MAIL_FROM, to: ['risk@example.com'] });
  });
});

describe('half-configured channels', () => {
  it.each([
    { name: 'CM_SMTP_URL without CM_MAIL_FROM', env: { CM_SMTP_URL: SMTP.CM_SMTP_URL }, names: [/CM_MAIL_FROM/] },
    { name: 'CM_MAIL_FROM without CM_SMTP_URL', env: { CM_MAIL_FROM: SMTP.CM_MAIL_FROM }, names: [/CM_SMTP_URL/] },
    { name: 'CM_WEBHOOK_SECRET without CM_WEBHOOK_URL', env: { CM_WEBHOOK_SECRET: SECRET }, names: [/CM_WEBHOOK_URL/] },
  ])('$name', ({ env, names }) => {
    const message = refusal(env);
    for (const name of names) expect(message).toMatch(name);
    expect(message).not.toContain(SECRET);
    expect(message).not.toContain('pw-canary');
  });

  it('accepts CM_WEBHOOK_SECRET alone when a routing.webhooks target takes its secret from it', () => {
    const file = policy({ routing: { webhooks: [{ name: 'ops', url: 'https://ops.example.com/hook', secretEnv: 'CM_WEBHOOK_SECRET' }] } });
    expect(loadConfig({ CM_WEBHOOK_SECRET: SECRET, CM_CONFIG: file }, cwd).webhookTargets.map((t) => t.name)).toEqual(['ops']);
  });
});

describe('channel options are validated at load time', () => {
  it.each([
    { value: 'smtp://user:pw-canary@mail.example.com?starttls=maybe', reason: /starttls must be one of required, opportunistic, off/ },
    { value: 'smtp://user:pw-canary@mail.example.com?tls.rejectUnauthorized=false', reason: /unknown option "tls\.rejectUnauthorized"/ },
    { value: 'smtps://user:pw-canary@mail.example.com?starttls=off', reason: /starttls does not apply to smtps:\/\// },
    { value: 'smtp://user:pw-canary@:25', reason: /CM_SMTP_URL/ },
  ])('CM_SMTP_URL $value', ({ value, reason }) => {
    const message = refusal({ ...SMTP, CM_SMTP_URL: value });
    expect(message).toMatch(/^CM_SMTP_URL/);
    expect(message).toMatch(reason);
    expect(message).not.toContain('pw-canary');
  });

  it.each(['credit-monitor', 'a@b@c', '信用监控 <nobody>', '<credit@example.com'])('CM_MAIL_FROM %j', (from) => {
    expect(refusal({ ...SMTP, CM_MAIL_FROM: from })).toMatch(/^CM_MAIL_FROM/);
  });

  it.each(['credit@example.com', '信用监控 <credit@example.com>', '"Credit, Monitor" <credit@example.com>'])('accepts CM_MAIL_FROM %j', (from) => {
    expect(loadConfig({ ...SMTP, CM_MAIL_FROM: from }, cwd).mail.from).toBe(from);
  });

  // Each passes the whsec_ pattern but the Standard Webhooks library cannot decode it: the worker
  // used to fail at start with exit 1.
  it.each(['whsec_AAAA=AAAAAAAAAAAAAAA', 'whsec_====AAAAAAAAAAAAAAAA'])('CM_WEBHOOK_SECRET %s', (secret) => {
    const message = refusal({ CM_WEBHOOK_URL: 'https://erp.example.com/hook', CM_WEBHOOK_SECRET: secret });
    expect(message).toMatch(/^CM_WEBHOOK_SECRET/);
    expect(message).not.toContain(secret);
  });

  it('a routing.webhooks secret the library cannot decode', () => {
    const file = policy({ routing: { webhooks: [{ name: 'ops', url: 'https://ops.example.com/hook', secretEnv: 'OPS_SECRET' }] } });
    expect(refusal({ CM_CONFIG: file, OPS_SECRET: 'whsec_AAAA=AAAAAAAAAAAAAAA' })).toMatch(/^OPS_SECRET is invalid/);
  });

  it.each(['ftp://ops.example.com/hook', 'mailto:ops@example.com'])('a routing.webhooks URL %s', (url) => {
    const file = policy({ routing: { webhooks: [{ name: 'ops', url, secretEnv: 'OPS_SECRET' }] } });
    expect(refusal({ CM_CONFIG: file, OPS_SECRET: SECRET })).toMatch(/key "routing\.webhooks\.0\.url".*http/);
  });
});
