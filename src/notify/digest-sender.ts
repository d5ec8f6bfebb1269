import type { EventMessage, SendResult } from './channel.js';
import type { EmailChannelOptions } from './email-channel.js';
import { digestLocalPart, messageId } from './message-id.js';
import { smtpErrorResult } from './smtp-error.js';
import { renderDigestEmail } from './templates/digest-email.js';

/** Sends one recipient's digest for one period (YYYY-MM-DD, Asia/Shanghai); never throws for a failed send. */
export type DigestSender = (recipient: string, messages: EventMessage[], period: string, signal: AbortSignal) => Promise<SendResult>;

/**
 * Creates the digest sender that `sendDigest` (app/send-digest.ts) takes as `send`: one email built
 * by `renderDigestEmail`, with the same failure mapping as the email channel and a Message-ID
 * fixed by period and recipient, so a digest resent after a crash folds into the first.
 */
export function createDigestSender(options: EmailChannelOptions): DigestSender {
  const language = options.language ?? 'zh-CN';
  return async (recipient, messages, period, signal) => {
    const email = renderDigestEmail(messages, { date: period }, language);
    try {
      await options.transport.sendMail({
        from: options.from,
        to: recipient,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: messageId(digestLocalPart(period, recipient), options.from),
        signal,
      });
      return { ok: true };
    } catch (error) {
      return smtpErrorResult(recipient, error);
    }
  };
}
