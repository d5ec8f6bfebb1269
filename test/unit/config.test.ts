import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { createNextCheckAt } from '../../src/config/next-check.js';

const cwd = new URL('../../', import.meta.url).pathname;

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({}, cwd);
    expect(config.scanIntervalMs).toBe(86_400_000);
    expect(config.queuePrefix).toBe('credit-monitor');
    expect(config.provider).toMatchObject({ kind: 'mock', implicit: true, ratePerSecond: 5 });
    expect(config.degradedAfter).toBe(3);
    expect(config.rateLimitPauseMs).toBe(10_000);
    expect(config.shutdownGraceMs).toBe(25_000);
    expect(config.httpPort).toBe(9464);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    { env: { CM_SCAN_INTERVAL: 'abc' }, key: 'CM_SCAN_INTERVAL' },
    { env: { CM_SCAN_INTERVAL: '0s' }, key: 'CM_SCAN_INTERVAL' },
    { env: { CM_SCAN_CRON: '61 * * * *' }, key: 'CM_SCAN_CRON' },
    { env: { CM_PROVIDER: 'foo' }, key: 'CM_PROVIDER' },
    { env: { CM_PROVIDER_RATE: '-1' }, key: 'CM_PROVIDER_RATE' },
    { env: { CM_HTTP_PORT: '70000' }, key: 'CM_HTTP_PORT' },
    { env: { CM_DEGRADED_AFTER: '0' }, key: 'CM_DEGRADED_AFTER' },
    { env: { REDIS_URL: 'http://x' }, key: 'REDIS_URL' },
    { env: { CM_WEBHOOK_URL: 'not a url' }, key: 'CM_WEBHOOK_URL' },
    { env: { CM_MAIL_TO: 'a@b.cn,nobody' }, key: 'CM_MAIL_TO' },
    { env: { LOG_LEVEL: 'loud' }, key: 'LOG_LEVEL' },
    { env: { CM_QUEUE_PREFIX: 'a b' }, key: 'CM_QUEUE_PREFIX' },
    { env: { CM_PROVIDER: 'tianyancha' }, key: 'CM_TIANYANCHA_TOKEN' },
    { env: { CM_CONFIG: 'does/not/exist.json' }, key: 'CM_CONFIG' },
  ])('rejects $key with one line naming it', ({ env, key }) => {
    expect(() => loadConfig(env, cwd)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining(key) }));
  });

  it.each(['20000', '10000.5', '0', 'fast'])('CM_PROVIDER_RATE=%s: the message names the accepted range', (rate) => {
    expect(() => loadConfig({ CM_PROVIDER_RATE: rate }, cwd)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(/CM_PROVIDER_RATE.*above 0 and at most 10000/) }),
    );
  });

  it('CM_PROVIDER_RATE accepts the ends of its range', () => {
    expect(loadConfig({ CM_PROVIDER_RATE: '10000' }, cwd).provider.ratePerSecond).toBe(10_000);
    expect(loadConfig({ CM_PROVIDER_RATE: '0.5' }, cwd).provider.ratePerSecond).toBe(0.5);
  });

  it('never echoes a secret in its error', () => {
    const secret = 'whsec_not-base64-%%%';
    expect(() => loadConfig({ CM_WEBHOOK_SECRET: secret }, cwd)).toThrow(expect.not.objectContaining({ message: expect.stringContaining(secret) }));
    expect(() => loadConfig({ REDIS_URL: 'redis//user:pw-canary@host' }, cwd)).toThrow(
      expect.not.objectContaining({ message: expect.stringContaining('pw-canary') }),
    );
  });
});

describe('createNextCheckAt', () => {
  const checkedAt = Date.parse('2026-11-27T10:00:00Z'); // 18:00 in Beijing

  it('adds the interval', () => {
    expect(createNextCheckAt({ intervalMs: 90_000, cron: undefined })(checkedAt)).toBe(checkedAt + 90_000);
  });

  it('reads the cron in Asia/Shanghai, not UTC', () => {
    // 08:00 Beijing is 00:00 UTC: the next one after 18:00 Beijing is the next morning.
    const next = createNextCheckAt({ intervalMs: 0, cron: '0 8 * * *' })(checkedAt);
    expect(new Date(next).toISOString()).toBe('2026-11-28T00:00:00.000Z');
  });
});

describe('webhook targets', () => {
  it('requires a secret with CM_WEBHOOK_URL', () => {
    expect(() => loadConfig({ CM_WEBHOOK_URL: 'https://erp.example.cn/hook' }, cwd)).toThrow(/CM_WEBHOOK_SECRET is required/);
  });

  it('names the default target "default"', () => {
    const config = loadConfig({ CM_WEBHOOK_URL: 'https://erp.example.cn/hook', CM_WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }, cwd);
    expect(config.webhookTargets).toEqual([{ name: 'default', url: 'https://erp.example.cn/hook', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }]);
  });
});
