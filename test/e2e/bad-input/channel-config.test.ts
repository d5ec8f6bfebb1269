/**
 * Issue 9 point 10: routing to a delivery channel that is not configured, and a malformed channel
 * option, stop every command at configuration time (exit 2, one line naming the key), never later
 * (e-mail rows pending for ever, or exit 1 when the worker opens the channel).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliSandbox, type CliSandbox } from '../../helpers/run-cli.js';

let cli: CliSandbox;
beforeAll(() => {
  cli = cliSandbox();
});
afterAll(() => {
  cli.cleanup();
});

const SMTP_URL = 'smtp://user:pw-canary@127.0.0.1:2525';
const FROM = 'credit@example.com';

function policy(name: string, content: unknown): string {
  const file = join(cli.dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(content));
  return file;
}

async function expectRefused(args: string[], env: Record<string, string>, names: RegExp[]): Promise<void> {
  const result = await cli.run(args, env);
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe('');
  const line = result.stderr.replace(/\n$/, '');
  expect(line.split('\n'), line).toHaveLength(1);
  for (const name of names) expect(line).toMatch(name);
  expect(line).not.toContain('pw-canary');
}

describe.concurrent('e-mail routed without an e-mail channel', () => {
  it.each([
    ['CM_MAIL_TO without CM_SMTP_URL', { CM_MAIL_TO: 'risk@example.com', CM_MAIL_FROM: FROM }, [/CM_MAIL_TO/, /CM_SMTP_URL/]],
    ['CM_MAIL_TO without CM_MAIL_FROM', { CM_MAIL_TO: 'risk@example.com', CM_SMTP_URL: SMTP_URL }, [/CM_MAIL_TO/, /CM_MAIL_FROM/]],
    ['CM_SMTP_URL without CM_MAIL_FROM', { CM_SMTP_URL: SMTP_URL }, [/CM_MAIL_FROM/]],
  ])('%s', async (_name, env, names) => {
    await expectRefused(['status', '--json'], env, names);
  });

  it('routing.tags without CM_SMTP_URL', async () => {
    const file = policy('tags', { routing: { tags: { east: { email: ['east@example.com'] } } } });
    await expectRefused(['status', '--json'], { CM_CONFIG: file }, [/CM_CONFIG/, /key "routing\.tags\.east\.email"/, /CM_SMTP_URL/]);
  });

  it('escalation.to without CM_SMTP_URL', async () => {
    const file = policy('escalation', { escalation: { to: ['boss@example.com'] } });
    await expectRefused(['status', '--json'], { CM_CONFIG: file }, [/CM_CONFIG/, /key "escalation\.to"/, /CM_SMTP_URL/]);
  });
});

describe.concurrent('channel options checked at load time', () => {
  it.each([
    ['status', '--json'],
    ['worker'],
  ])('a bad ?starttls= value stops `%s` with exit 2 naming CM_SMTP_URL', async (...args) => {
    await expectRefused(args, { CM_SMTP_URL: `${SMTP_URL}?starttls=yes`, CM_MAIL_FROM: FROM, CM_MAIL_TO: 'risk@example.com' }, [
      /^credit-monitor: CM_SMTP_URL: starttls must be one of required, opportunistic, off$/,
    ]);
  });

  it('an unknown CM_SMTP_URL option', async () => {
    await expectRefused(['status', '--json'], { CM_SMTP_URL: `${SMTP_URL}?tls.rejectUnauthorized=false`, CM_MAIL_FROM: FROM }, [/^credit-monitor: CM_SMTP_URL: unknown option/]);
  });

  it('a CM_MAIL_FROM that is not an address', async () => {
    await expectRefused(['status', '--json'], { CM_SMTP_URL: SMTP_URL, CM_MAIL_FROM: 'credit-monitor' }, [/^credit-monitor: CM_MAIL_FROM=/]);
  });

  it('a webhook secret the signing library cannot decode', async () => {
    await expectRefused(['worker'], { CM_WEBHOOK_URL: 'http://127.0.0.1:9/hook', CM_WEBHOOK_SECRET: 'whsec_AAAA=AAAAAAAAAAAAAAA' }, [/^credit-monitor: CM_WEBHOOK_SECRET is invalid/]);
  });

  it('a routing.webhooks URL that is not http(s)', async () => {
    const file = policy('ftp-hook', { routing: { webhooks: [{ name: 'ops', url: 'ftp://ops.example.com/hook', secretEnv: 'OPS_SECRET' }] } });
    await expectRefused(['status', '--json'], { CM_CONFIG: file, OPS_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }, [/key "routing\.webhooks\.0\.url"/]);
  });

  it('CM_WEBHOOK_SECRET without CM_WEBHOOK_URL', async () => {
    await expectRefused(['status', '--json'], { CM_WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }, [/CM_WEBHOOK_URL/]);
  });
});
