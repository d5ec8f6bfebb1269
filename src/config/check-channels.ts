/**
 * Load-time checks of the delivery channels (DESIGN "Configuration": an invalid value stops the
 * process with exit 2 naming the key). A route to a channel that is not configured would create
 * outbox rows no process can ever send, and a malformed channel option would only fail at the first
 * send (or at worker start, with exit 1): both are configuration errors, found here.
 */
import { Webhook } from 'standardwebhooks';
import { AppError } from '../app/errors.js';
import { smtpTransportOptions } from '../notify/smtp-transport.js';

type Env = Readonly<Record<string, string | undefined>>;

/** `addr@host` or `Display Name <addr@host>`, the forms nodemailer takes for From. */
const MAIL_FROM = /^(?:[^\s@<>]+@[^\s@<>]+|[^<>]*<[^\s@<>]+@[^\s@<>]+>)$/;

/**
 * CM_SMTP_URL must be one nodemailer can use (scheme, host, `starttls=` and nothing else); the message
 * names CM_SMTP_URL and never quotes the URL, which may carry the password.
 */
export function checkSmtpUrl(smtpUrl: string | undefined): void {
  if (smtpUrl === undefined) return;
  try {
    smtpTransportOptions(smtpUrl);
  } catch (error) {
    throw new AppError('CONFIG_INVALID', (error as Error).message, { cause: error });
  }
}

export function checkMailFrom(from: string | undefined): void {
  if (from === undefined || MAIL_FROM.test(from.trim())) return;
  throw new AppError('CONFIG_INVALID', `CM_MAIL_FROM=${JSON.stringify(from)} is invalid: expected an address, e.g. "信用监控 <credit@example.com>"`);
}

/**
 * A Standard Webhooks secret the signing library accepts. The `whsec_` pattern alone lets through
 * texts it cannot decode (a "=" inside), which used to stop the worker at start with exit 1.
 */
export function checkWebhookSecret(key: string, secret: string): void {
  const shape = /^whsec_[A-Za-z0-9+/=]{16,}$/.test(secret);
  let decodes = false;
  if (shape) {
    try {
      new Webhook(secret);
      decodes = true;
    } catch {
      // The library's message could quote the key; ours never does.
    }
  }
  if (!decodes) throw new AppError('CONFIG_INVALID', `${key} is invalid: expected whsec_ followed by base64 (value hidden)`);
}

/** What the routing asks of the e-mail channel, from the policy file and CM_MAIL_TO. */
export interface MailRoutes {
  configPath: string;
  /** CM_MAIL_TO. */
  to: readonly string[];
  /** routing.email: no tier mailed means no e-mail row is ever written. */
  tiersMailed: boolean;
  /** routing.tags: tag → recipients. */
  tagRecipients: Readonly<Record<string, readonly string[]>>;
  escalation: { to: readonly string[]; tiers: readonly string[]; maxTimes: number };
}

/**
 * Every route to e-mail needs the e-mail channel (CM_SMTP_URL and CM_MAIL_FROM), and one of those
 * two without the other is a channel half configured; CM_WEBHOOK_SECRET without CM_WEBHOOK_URL is
 * a webhook half configured (unless a `routing.webhooks` target takes its secret from it).
 */
export function checkChannelRouting(env: Env, mail: MailRoutes, webhookSecretEnvs: readonly string[]): void {
  const missing = [env.CM_SMTP_URL ? undefined : 'CM_SMTP_URL', env.CM_MAIL_FROM ? undefined : 'CM_MAIL_FROM'].filter(
    (key): key is string => key !== undefined,
  );
  const notConfigured = `but the e-mail channel is not configured (missing: ${missing.join(', ')})`;
  if (missing.length > 0) {
    if (mail.to.length > 0 && mail.tiersMailed) {
      throw new AppError('CONFIG_INVALID', `CM_MAIL_TO routes e-mail, ${notConfigured}; set them, or unset CM_MAIL_TO`);
    }
    const tag = mail.tiersMailed ? Object.entries(mail.tagRecipients).find(([, to]) => to.length > 0)?.[0] : undefined;
    if (tag !== undefined) {
      throw new AppError('CONFIG_INVALID', `CM_CONFIG ${mail.configPath}: key "routing.tags.${tag}.email" routes e-mail, ${notConfigured}`);
    }
    const { escalation } = mail;
    if (escalation.to.length > 0 && escalation.tiers.length > 0 && escalation.maxTimes > 0) {
      throw new AppError('CONFIG_INVALID', `CM_CONFIG ${mail.configPath}: key "escalation.to" routes e-mail, ${notConfigured}`);
    }
    if (missing.length === 1) {
      const [given, absent] = missing[0] === 'CM_SMTP_URL' ? ['CM_MAIL_FROM', 'CM_SMTP_URL'] : ['CM_SMTP_URL', 'CM_MAIL_FROM'];
      throw new AppError('CONFIG_INVALID', `${absent} is required when ${given} is set`);
    }
  }
  if (env.CM_WEBHOOK_SECRET && !env.CM_WEBHOOK_URL && !webhookSecretEnvs.includes('CM_WEBHOOK_SECRET')) {
    throw new AppError('CONFIG_INVALID', 'CM_WEBHOOK_SECRET is set but CM_WEBHOOK_URL is not: no webhook would be sent (set CM_WEBHOOK_URL, or unset CM_WEBHOOK_SECRET)');
  }
}
