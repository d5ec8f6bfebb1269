import { describe, expect, it } from 'vitest';
import { smtpTransportOptions } from '../../../src/notify/smtp-transport.js';

describe('smtpTransportOptions (CM_SMTP_URL)', () => {
  it.each([
    { url: 'smtp://mail.example.com', secure: false, requireTLS: true, ignoreTLS: false, port: 587 },
    { url: 'smtp://mail.example.com:2525?starttls=required', secure: false, requireTLS: true, ignoreTLS: false, port: 2525 },
    { url: 'smtp://relay:25?starttls=opportunistic', secure: false, requireTLS: false, ignoreTLS: false, port: 25 },
    { url: 'smtp://localhost:25?starttls=off', secure: false, requireTLS: false, ignoreTLS: true, port: 25 },
    { url: 'smtps://mail.example.com', secure: true, requireTLS: false, ignoreTLS: false, port: 465 },
  ])('$url', ({ url, ...expected }) => {
    expect(smtpTransportOptions(url)).toMatchObject(expected);
  });

  it('decodes credentials and sets bounded timeouts', () => {
    const options = smtpTransportOptions('smtp://alerts%40example.com:p%40ss%3Aword@mail.example.com');
    expect(options.auth).toEqual({ user: 'alerts@example.com', pass: 'p@ss:word' });
    expect(options).toMatchObject({ connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000, logger: false });
    expect(smtpTransportOptions('smtp://h', { connectTimeoutMs: 500, socketTimeoutMs: 900 })).toMatchObject({
      connectionTimeout: 500,
      socketTimeout: 900,
    });
  });

  it.each([
    { url: 'smtp://u:topsecret@h?tls.rejectUnauthorized=false', error: 'CM_SMTP_URL: unknown option "tls.rejectUnauthorized"' },
    { url: 'smtp://u:topsecret@h?starttls=maybe', error: 'CM_SMTP_URL: starttls must be one of required, opportunistic, off' },
    { url: 'smtps://u:topsecret@h?starttls=off', error: 'CM_SMTP_URL: starttls does not apply to smtps://' },
    { url: 'http://u:topsecret@h', error: 'CM_SMTP_URL must start with smtp:// or smtps://' },
    { url: 'not a url topsecret', error: 'CM_SMTP_URL is not a valid URL' },
  ])('refuses $url without quoting the password', ({ url, error }) => {
    expect(() => smtpTransportOptions(url)).toThrow(error);
    try {
      smtpTransportOptions(url);
    } catch (thrown) {
      expect(String(thrown)).not.toContain('topsecret');
    }
  });
});
