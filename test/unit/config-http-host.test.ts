import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';

const cwd = new URL('../../', import.meta.url).pathname;

describe('CM_HTTP_HOST', () => {
  it('defaults to loopback: the health and metrics server is not for the whole network', () => {
    expect(loadConfig({}, cwd).httpHost).toBe('127.0.0.1');
    expect(loadConfig({ CM_HTTP_HOST: '' }, cwd).httpHost).toBe('127.0.0.1');
  });

  it.each(['0.0.0.0', '::', '::1', '10.1.2.3', 'metrics.internal', 'localhost'])('accepts %s', (host) => {
    expect(loadConfig({ CM_HTTP_HOST: host }, cwd).httpHost).toBe(host);
  });

  it.each(['http://0.0.0.0', '0.0.0.0:9464', 'two words', '-bad.example'])('rejects %s with one line naming the key', (host) => {
    expect(() => loadConfig({ CM_HTTP_HOST: host }, cwd)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(/^CM_HTTP_HOST=.* is invalid: expected an IP address/) as string }),
    );
  });
});
