import nodemailer, { type SMTPTransportOptions, type Transporter } from 'nodemailer';

/** How STARTTLS is used on an `smtp://` URL, chosen with its `starttls` query parameter. */
export const STARTTLS_MODES = ['required', 'opportunistic', 'off'] as const;
export type StartTlsMode = (typeof STARTTLS_MODES)[number];

/** Timeouts of the SMTP connection. */
export interface SmtpTimeouts {
  /** To open the TCP (and, for smtps, TLS) connection, and then to get the server's greeting, in ms. Default 10000. */
  connectTimeoutMs?: number;
  /** Longest silence on an open connection, in ms. Default 30000. */
  socketTimeoutMs?: number;
}

/**
 * Reads `CM_SMTP_URL` into nodemailer options. Accepted forms:
 *
 * - `smtps://user:pass@host[:465]` — implicit TLS from the first byte.
 * - `smtp://user:pass@host[:587]` — STARTTLS **required**: nothing is sent over an unencrypted link.
 * - `smtp://host:25?starttls=opportunistic` — STARTTLS when the server offers it, else plain text.
 * - `smtp://host:25?starttls=off` — never STARTTLS: only for a relay on the same host or a test sink.
 *
 * User and password are percent-decoded. Certificates are always verified: there is deliberately no
 * way to turn that off from the URL. Any other query parameter is refused, so that a typo cannot
 * silently weaken TLS.
 *
 * @throws Error naming the problem, never quoting the URL (it may carry the password).
 */
export function smtpTransportOptions(smtpUrl: string, timeouts: SmtpTimeouts = {}): SMTPTransportOptions {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    throw new Error('CM_SMTP_URL is not a valid URL');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error('CM_SMTP_URL must start with smtp:// or smtps://');
  if (url.hostname === '') throw new Error('CM_SMTP_URL has no host');
  const implicitTls = url.protocol === 'smtps:';
  let starttls: StartTlsMode = 'required';
  for (const [key, value] of url.searchParams) {
    if (key !== 'starttls') throw new Error(`CM_SMTP_URL: unknown option "${key}" (supported: starttls=${STARTTLS_MODES.join('|')})`);
    if (!(STARTTLS_MODES as readonly string[]).includes(value)) {
      throw new Error(`CM_SMTP_URL: starttls must be one of ${STARTTLS_MODES.join(', ')}`);
    }
    starttls = value as StartTlsMode;
  }
  if (implicitTls && url.searchParams.has('starttls')) throw new Error('CM_SMTP_URL: starttls does not apply to smtps:// (TLS from connect)');

  const connectTimeoutMs = timeouts.connectTimeoutMs ?? 10_000;
  const user = decodeURIComponent(url.username);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? (implicitTls ? 465 : 587) : Number(url.port),
    secure: implicitTls,
    requireTLS: !implicitTls && starttls === 'required',
    ignoreTLS: !implicitTls && starttls === 'off',
    ...(user === '' ? {} : { auth: { user, pass: decodeURIComponent(url.password) } }),
    connectionTimeout: connectTimeoutMs,
    greetingTimeout: connectTimeoutMs,
    dnsTimeout: connectTimeoutMs,
    socketTimeout: timeouts.socketTimeoutMs ?? 30_000,
    // nodemailer's own logger would print the SMTP dialogue, AUTH included.
    logger: false,
    debug: false,
  };
}

/** A nodemailer SMTP transport for `CM_SMTP_URL`; see `smtpTransportOptions` for the URL forms. Close it at shutdown. */
export function createSmtpTransport(smtpUrl: string, timeouts: SmtpTimeouts = {}): Transporter {
  return nodemailer.createTransport(smtpTransportOptions(smtpUrl, timeouts));
}
