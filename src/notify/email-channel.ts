import type { SendMailOptions } from 'nodemailer';
import type { Channel, SendResult } from './channel.js';
import { messageId } from './message-id.js';
import { smtpErrorResult } from './smtp-error.js';
import type { EmailLanguage } from './templates/language.js';
import { renderEventEmail } from './templates/event-email.js';

/** What the email channel needs of a nodemailer Transporter (so tests and pools can stand in). */
export interface EmailTransport {
  sendMail(mail: SendMailOptions): Promise<unknown>;
}

/** `addr@host` or `Display Name <addr@host>`, the forms nodemailer takes for From. */
const MAIL_FROM = /^(?:[^\s@<>]+@[^\s@<>]+|[^<>]*<[^\s@<>]+@[^\s@<>]+>)$/;

/**
 * Whether `from` is a From address this channel sends with (surrounding white space aside); anything
 * else would only fail at the first send. Configuration calls this at load time.
 */
export function isMailFrom(from: string): boolean {
  return MAIL_FROM.test(from.trim());
}

export interface EmailChannelOptions {
  /** A nodemailer transport, e.g. from `createSmtpTransport`; the caller owns and closes it. */
  transport: EmailTransport;
  /** The From address (`CM_MAIL_FROM`), e.g. `"信用监控 <credit@example.com>"`. */
  from: string;
  /** The language of subjects and bodies. Default zh-CN. */
  language?: EmailLanguage;
}

/**
 * Creates the channel that emails one event to one recipient; `target` of a delivery is the
 * recipient address. The Message-ID is derived from the delivery id, so a resend after a lost
 * answer carries the same Message-ID and mail clients can fold the two together.
 */
export function createEmailChannel(options: EmailChannelOptions): Channel {
  const language = options.language ?? 'zh-CN';
  return {
    name: 'email',
    async send({ deliveryId, target, message }, signal): Promise<SendResult> {
      const email = renderEventEmail(message, language);
      try {
        await options.transport.sendMail({
          from: options.from,
          to: target,
          subject: email.subject,
          text: email.text,
          html: email.html,
          messageId: messageId(deliveryId, options.from),
          headers: { 'X-Credit-Monitor-Event-Id': message.id, 'X-Credit-Monitor-Tier': message.tier },
          signal,
        });
        return { ok: true };
      } catch (error) {
        return smtpErrorResult(target, error);
      }
    },
  };
}
