/**
 * Invalid configuration of every kind (DESIGN "Configuration"): each stops the command with exit 2,
 * ONE line on stderr naming the variable or policy-file key, nothing on stdout, and no secret value.
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

async function expectRefused(env: Record<string, string>, names: RegExp): Promise<string> {
  const result = await cli.run(['status', '--json'], env);
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe('');
  const line = result.stderr.replace(/\n$/, '');
  expect(line.split('\n'), line).toHaveLength(1);
  expect(line).toMatch(names);
  expect(line).not.toMatch(/\bat .*:\d+:\d+\)?$/);
  return line;
}

describe.concurrent('environment variables', () => {
  it.each([
    ['REDIS_URL', 'not a url'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['CM_QUEUE_PREFIX', 'bad prefix!'],
    ['CM_QUEUE_PREFIX', ''],
    ['CM_SCAN_INTERVAL', '10 minutes'],
    ['CM_SCAN_INTERVAL', '-5m'],
    ['CM_SCAN_CRON', 'every day'],
    ['CM_SCAN_CRON', '61 25 * * *'],
    ['CM_PROVIDER', 'tianyancha2'],
    ['CM_PROVIDER_URL', 'ftp://example.com'],
    ['CM_PROVIDER_URL', '::nonsense'],
    ['CM_PROVIDER_RATE', '0'],
    ['CM_PROVIDER_RATE', 'fast'],
    ['CM_WEBHOOK_URL', 'not a url'],
    ['CM_WEBHOOK_SECRET', 'plain-secret'],
    ['CM_WEBHOOK_SECRET', 'whsec_short'],
    ['CM_SMTP_URL', 'http://mail.example.com'],
    ['CM_MAIL_TO', 'ops@example.com,not-an-address'],
    ['CM_HTTP_PORT', '70000'],
    ['CM_HTTP_PORT', 'http'],
    ['CM_DEGRADED_AFTER', '0'],
    ['CM_DEGRADED_AFTER', '2.5'],
    ['CM_RATE_LIMIT_PAUSE', '10'],
    ['CM_SHUTDOWN_GRACE', 'soon'],
    ['LOG_LEVEL', 'verbose'],
  ])('%s=%j', async (key, value) => {
    await expectRefused({ [key]: value }, new RegExp(key));
  });

  it.each([
    [{ CM_PROVIDER: 'tianyancha' }, /CM_TIANYANCHA_TOKEN/],
    [{ CM_PROVIDER: 'qichacha', CM_QICHACHA_KEY: 'k' }, /CM_QICHACHA_SECRET/],
    [{ CM_PROVIDER: 'qichacha', CM_QICHACHA_SECRET: 's' }, /CM_QICHACHA_KEY/],
    [{ CM_WEBHOOK_URL: 'http://127.0.0.1:9/hook' }, /CM_WEBHOOK_SECRET/],
  ])('missing required secret %j', async (env, names) => {
    await expectRefused(env, names);
  });

  it('CM_CONFIG naming a missing file', async () => {
    await expectRefused({ CM_CONFIG: join(cli.dir, 'nope.json') }, /CM_CONFIG .*nope\.json.*ENOENT/);
  });
});

describe.concurrent('policy file keys (CM_CONFIG)', () => {
  it.each([
    ['malformed JSON', '{"tiers": {', /not valid JSON/],
    ['not an object', '[]', /key ""/],
    ['an unknown top-level key', '{"tier": {}}', /key ""|tier/],
    ['an unknown nested key', '{"digest": {"time": "09:00", "when": 1}}', /key "digest"|when/],
    ['a wrong type', '{"scan": {"concurrency": "eight"}}', /key "scan\.concurrency"/],
    ['an out-of-range number', '{"scan": {"concurrency": 0}}', /key "scan\.concurrency"/],
    ['a bad tier name', '{"tiers": {"overrides": {"registration.address_changed": "urgent"}}}', /key "tiers\.overrides\.registration\.address_changed"/],
    ['an unknown event type', '{"tiers": {"overrides": {"registration.colour_changed": "low"}}}', /key "tiers\.overrides/],
    ['a bad tier in routing', '{"routing": {"email": {"immediateTiers": ["red"]}}}', /key "routing\.email\.immediateTiers\.0"/],
    ['a bad digest time', '{"digest": {"time": "25:00"}}', /key "digest\.time".*HH:MM/],
    ['a bad webhook target URL', '{"routing": {"webhooks": [{"name": "ops", "url": "not a url", "secretEnv": "OPS_SECRET"}]}}', /key "routing\.webhooks\.0\.url"/],
    ['a bad e-mail address', '{"escalation": {"to": ["nobody"]}}', /key "escalation\.to\.0"/],
    ['a bad language', '{"language": "fr"}', /key "language"/],
    ['a negative body limit', '{"provider": {"maxBodyBytes": -1}}', /key "provider\.maxBodyBytes"/],
  ])('%s', async (_case, text, names) => {
    const file = join(cli.dir, `${_case.replaceAll(' ', '-')}.json`);
    writeFileSync(file, text);
    const line = await expectRefused({ CM_CONFIG: file }, names);
    expect(line).toContain('CM_CONFIG');
  });

  it('a webhook target whose secret variable is missing or not whsec_', async () => {
    const file = join(cli.dir, 'targets.json');
    writeFileSync(file, JSON.stringify({ routing: { webhooks: [{ name: 'ops', url: 'http://127.0.0.1:9/h', secretEnv: 'OPS_SECRET' }] } }));
    await expectRefused({ CM_CONFIG: file }, /OPS_SECRET.*required/);
    const line = await expectRefused({ CM_CONFIG: file, OPS_SECRET: 'whsec_!!!not-base64!!!' }, /OPS_SECRET.*invalid/);
    expect(line).not.toContain('not-base64');
  });
});
