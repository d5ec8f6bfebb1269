/**
 * The one configuration schema: the provider union carries exactly its credentials, defaults apply
 * inside a block the file leaves out, and the adapters' own rules refuse at load time, in one line.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { parseScanCron } from '../../src/config/next-check.js';
import { webhookSigner } from '../../src/notify/webhook-signer.js';

const cwd = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'cm-schema-'));
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

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

describe('the provider union', () => {
  it('gives each provider exactly its credentials', () => {
    expect(loadConfig({}, cwd).provider).not.toHaveProperty('credentials');
    expect(loadConfig({ CM_PROVIDER: 'tianyancha', CM_TIANYANCHA_TOKEN: 't' }, cwd).provider).toMatchObject({ kind: 'tianyancha', credentials: { token: 't' } });
    const qichacha = loadConfig({ CM_PROVIDER: 'qichacha', CM_QICHACHA_KEY: 'k', CM_QICHACHA_SECRET: 's', CM_TIANYANCHA_TOKEN: 't' }, cwd).provider;
    expect(qichacha).toMatchObject({ kind: 'qichacha', implicit: false, credentials: { key: 'k', secret: 's' } });
    expect(qichacha.kind === 'qichacha' && Object.keys(qichacha.credentials)).toEqual(['key', 'secret']);
  });

  it.each([
    { env: { CM_PROVIDER: 'tianyancha', CM_TIANYANCHA_TOKEN: '  ' }, line: 'CM_TIANYANCHA_TOKEN is required when CM_PROVIDER=tianyancha' },
    { env: { CM_PROVIDER: 'qichacha', CM_QICHACHA_KEY: 'k', CM_QICHACHA_SECRET: '' }, line: 'CM_QICHACHA_SECRET is required when CM_PROVIDER=qichacha' },
    { env: { CM_PROVIDER: 'qichacha', CM_QICHACHA_SECRET: 's' }, line: 'CM_QICHACHA_KEY is required when CM_PROVIDER=qichacha' },
  ])('refuses a missing or blank credential: $line', ({ env, line }) => {
    expect(refusal(env)).toBe(line);
  });
});

describe('defaults inside a block the file leaves out', () => {
  it('applies every default of a block given in part', () => {
    const config = loadConfig({ CM_CONFIG: policy({ routing: { webhooks: [] }, escalation: { maxTimes: 1 }, provider: { timeoutMs: 5000 } }) }, cwd);
    expect(config.routing.email).toEqual({ immediateTiers: ['critical', 'high'], digestTiers: ['medium', 'low', 'info'] });
    expect(config.escalation).toEqual({ tiers: ['critical', 'high'], afterMs: 240 * 60_000, maxTimes: 1, to: [] });
    expect(config.provider).toMatchObject({ timeoutMs: 5000, maxBodyBytes: 2 * 1024 * 1024, dailyCallBudget: null });
  });
});

describe('adapter rules at load time', () => {
  it('names CM_SMTP_URL for a password that is not percent-encoding, without quoting it', () => {
    const message = refusal({ CM_SMTP_URL: 'smtp://user:pw-canary%E0%A4%A@mail.example.com', CM_MAIL_FROM: 'credit@example.com' });
    expect(message).toMatch(/^CM_SMTP_URL: /);
    expect(message).not.toContain('pw-canary');
  });

  it('names the policy file and key for a target name used twice', () => {
    const file = policy({ routing: { webhooks: [{ name: 'default', url: 'https://ops.example.com/hook', secretEnv: 'OPS_SECRET' }] } });
    expect(refusal({ CM_CONFIG: file, OPS_SECRET: SECRET, CM_WEBHOOK_URL: 'https://erp.example.com/hook', CM_WEBHOOK_SECRET: SECRET })).toBe(
      `CM_CONFIG ${file}: key "routing.webhooks" is invalid: target name "default" is used twice`,
    );
  });

  it.each([
    { cron: '0 8 * * *', ok: true },
    { cron: ' 0 8 * * 1-5 ', ok: true },
    { cron: '0 0 8 * * *', ok: true },
    { cron: '@daily', ok: false },
    { cron: '0 0 8 * * * 2027', ok: false },
    { cron: '0 25 * * *', ok: false },
  ])('CM_SCAN_CRON $cron: accepted $ok', ({ cron, ok }) => {
    expect(parseScanCron(cron).ok).toBe(ok);
    if (ok) expect(loadConfig({ CM_SCAN_CRON: cron }, cwd).scanCron).toBe(cron.trim());
    else expect(refusal({ CM_SCAN_CRON: cron })).toMatch(/^CM_SCAN_CRON=".*" is invalid: /);
  });

  it('a blank CM_SCAN_CRON leaves the interval in charge', () => {
    expect(loadConfig({ CM_SCAN_CRON: '  ' }, cwd).scanCron).toBeUndefined();
  });

  it.each([
    { secret: SECRET, signs: true },
    { secret: 'whsec_short', signs: false },
    { secret: 'whsec_AAAA=AAAAAAAAAAAAAAA', signs: false },
    { secret: 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', signs: false },
  ])('webhookSigner($secret): signs $signs, and the configuration agrees', ({ secret, signs }) => {
    expect(webhookSigner(secret) !== undefined).toBe(signs);
    const env = { CM_WEBHOOK_URL: 'https://erp.example.com/hook', CM_WEBHOOK_SECRET: secret };
    if (signs) expect(loadConfig(env, cwd).webhookTargets).toHaveLength(1);
    else expect(refusal(env)).toBe('CM_WEBHOOK_SECRET is invalid: expected whsec_ followed by base64 (value hidden)');
  });
});
