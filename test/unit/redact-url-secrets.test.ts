import { describe, expect, it } from 'vitest';
import { redactUrlSecrets } from '../../src/notify/redact-url-secrets.js';

describe('redactUrlSecrets', () => {
  it.each([
    { name: 'a query token', text: 'Cannot POST /hook?token=tok-9f8e7d', url: 'https://example.test/hook?token=tok-9f8e7d', out: 'Cannot POST /hook?token=***' },
    { name: 'a robot key, percent-encoded', text: 'bad key a%2Fb%2Bc%3D1', url: 'https://example.test/send?key=a%2Fb%2Bc%3D1', out: 'bad key ***' },
    { name: 'a password', text: 'auth failed for s3cret-pw', url: 'https://u:s3cret-pw@example.test/hook', out: 'auth failed for ***' },
    { name: 'short values are left alone', text: 'v=1 page 1', url: 'https://example.test/hook?v=1', out: 'v=1 page 1' },
  ])('$name', ({ text, url, out }) => {
    expect(redactUrlSecrets(text, url)).toBe(out);
  });
});
