import type { SendResult } from './channel.js';
import { oneLine } from './one-line.js';

const STARTTLS_REFUSED =
  'the SMTP server does not offer STARTTLS, which CM_SMTP_URL requires; enable STARTTLS on the server, use smtps:// if it ' +
  'speaks TLS from the start, or, only for a trusted relay (same host or private network), add ?starttls=off or ?starttls=opportunistic to CM_SMTP_URL';

/** Failures without an SMTP reply that a later attempt cannot fix: the message itself is unsendable. */
const PERMANENT_CODES = new Set(['EENVELOPE', 'EMESSAGE', 'EMAXRECIPIENTS', 'ECONFIG']);

/**
 * Maps a nodemailer failure to a send result. An SMTP reply decides by its class (RFC 5321):
 * 4yz is transient (retry), 5yz permanent (dead), except 503 "bad sequence", which says the
 * session was confused rather than the message refused. Without a reply (connection refused,
 * timeout, cancellation) the problem is the link, so retry. A STARTTLS failure (ETLS) is retried
 * whatever the server replied: it is about the link, not the message, and once the relay's TLS is
 * fixed the pending deliveries should go out rather than be dead. A refused STARTTLS gets an error
 * that names the fix (`?starttls=off` for a trusted relay).
 *
 * The error names the recipient and the server's reply, cut to 200 characters; nodemailer's
 * messages never carry the password.
 */
export function smtpErrorResult(recipient: string, error: unknown): SendResult {
  const { code, responseCode, response, message } = fields(error);
  if (responseCode !== undefined && code !== 'ETLS') {
    const retryable = responseCode < 500 || responseCode === 503;
    return { ok: false, retryable, error: `email to ${recipient}: SMTP ${responseCode} ${oneLine(response ?? message)}` };
  }
  const retryable = code === undefined || !PERMANENT_CODES.has(code);
  const detail = `${code ?? 'error'} ${oneLine(response ?? message)}`;
  if (code === 'ETLS' && responseCode !== undefined) {
    // The server answered STARTTLS with a refusal: it does not offer it. "ETLS 500" alone does not
    // tell the operator that the fix is in the URL (or in the relay).
    return { ok: false, retryable, error: `email to ${recipient}: ${STARTTLS_REFUSED} (${detail})` };
  }
  return { ok: false, retryable, error: `email to ${recipient}: ${detail}` };
}

function fields(error: unknown): { code?: string; responseCode?: number; response?: string; message: string } {
  if (typeof error !== 'object' || error === null) return { message: String(error) };
  const get = (key: string): unknown => (key in error ? (error as Record<string, unknown>)[key] : undefined);
  const code = get('code');
  const responseCode = get('responseCode');
  const response = get('response');
  const message = get('message');
  return {
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof responseCode === 'number' ? { responseCode } : {}),
    ...(typeof response === 'string' ? { response } : {}),
    message: typeof message === 'string' ? message : 'unknown error',
  };
}
