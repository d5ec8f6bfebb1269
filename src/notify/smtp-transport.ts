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

/** Where and how to reach the SMTP server, read from `CM_SMTP_URL`. */
export type SmtpEndpoint = Pick<SMTPTransportOptions, 'host' | 'port' | 'secure' | 'requireTLS' | 'ignoreTLS' | 'auth'>;

/**
 * Reads `CM_SMTP_URL`. Accepted forms:
 *
 * - `smtps://user:pass@host[:465]` — implicit TLS from the first byte.
 * - `smtp://user:pass@host[:587]` — STARTTLS **required**: nothing is sent over an unencrypted link.
 * - `smtp://host:25?starttls=opportunistic` — STARTTLS when the server offers it, else plain text.
 * - `smtp://host:25?starttls=off` — never STARTTLS: only for a relay on the same host or a test sink.
 *
 * User and password are percent-decoded. Certificates are always verified: there is deliberately no
 * way to turn that off from the URL. Any other query parameter is refused, so that a typo cannot
 * silently weaken TLS. Configuration calls this at load time; a refusal's `reason` is one line that
 * names CM_SMTP_URL and never quotes the URL (it may carry the password).
 */
export function parseSmtpUrl(smtpUrl: string): { ok: true; endpoint: SmtpEndpoint } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    return { ok: false, reason: 'CM_SMTP_URL is not a valid URL' };
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    return { ok: false, reason: 'CM_SMTP_URL must start with smtp:// or smtps://' };
  }
  if (url.hostname === '') return { ok: false, reason: 'CM_SMTP_URL has no host' };
  const implicitTls = url.protocol === 'smtps:';
  let starttls: StartTlsMode = 'required';
  for (const [key, value] of url.searchParams) {
    if (key !== 'starttls') {
      return { ok: false, reason: `CM_SMTP_URL: unknown option "${key}" (supported: starttls=${STARTTLS_MODES.join('|')})` };
    }
    if (!(STARTTLS_MODES as readonly string[]).includes(value)) {
      return { ok: false, reason: `CM_SMTP_URL: starttls must be one of ${STARTTLS_MODES.join(', ')}` };
    }
    starttls = value as StartTlsMode;
  }
  if (implicitTls && url.searchParams.has('starttls')) {
    return { ok: false, reason: 'CM_SMTP_URL: starttls does not apply to smtps:// (TLS from connect)' };
  }
  let user: string;
  let pass: string;
  try {
    user = decodeURIComponent(url.username);
    pass = decodeURIComponent(url.password);
  } catch {
    return { ok: false, reason: 'CM_SMTP_URL: the user or password is not valid percent-encoding' };
  }
  return {
    ok: true,
    endpoint: {
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port === '' ? (implicitTls ? 465 : 587) : Number(url.port),
      secure: implicitTls,
      requireTLS: !implicitTls && starttls === 'required',
      ignoreTLS: !implicitTls && starttls === 'off',
      ...(user === '' ? {} : { auth: { user, pass } }),
    },
  };
}

/**
 * Nodemailer options for `CM_SMTP_URL` (see `parseSmtpUrl` for the URL forms) with bounded timeouts.
 *
 * @throws Error with `parseSmtpUrl`'s reason when the URL is refused.
 */
export function smtpTransportOptions(smtpUrl: string, timeouts: SmtpTimeouts = {}): SMTPTransportOptions {
  const parsed = parseSmtpUrl(smtpUrl);
  if (!parsed.ok) throw new Error(parsed.reason);
  const connectTimeoutMs = timeouts.connectTimeoutMs ?? 10_000;
  return {
    ...parsed.endpoint,
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
